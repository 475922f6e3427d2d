using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CalendarGrains.Nango;
using CalendarGrains.Tests.Connections;
using CalendarGrains.Tests.Infrastructure;
using CalendarGrains.Tests.Webhooks;
using CalendarGrains.Webhooks;

namespace CalendarGrains.Tests.Nango;

/// <summary>
/// Nango's <c>auth</c> webhooks to a tenant's Nango webhook URL: made from our connection events,
/// signed as Nango signs them, and accepted by <c>@nangohq/node</c>'s own verification.
/// </summary>
public sealed class NangoAuthWebhookTests(SandboxHostFixture fixture) : IClassFixture<SandboxHostFixture>
{
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;

    [Fact]
    public async Task CreationOverrideAndRefreshFailure_ReachTheNangoHandler_SignedSoNangosClientVerifiesThem()
    {
        var (node, project) = NodeScripts.Require("nango-client", ["@nangohq/node"], [], "CI");
        await using var receiver = await WebhookReceiver.StartAsync();
        using var kit = await ConnectionKit.CreateAsync(fixture.Host);
        var signingKey = "nango-signing-" + Guid.NewGuid().ToString("N");
        var set = await fixture.Host.Admin.PatchAsJsonAsync($"/v1/tenants/{kit.Tenant.Id}",
            new { nango = new { webhookUrl = receiver.Url(), webhookSigningKey = signingKey, environment = "dev" } }, _ct);
        Assert.Equal(HttpStatusCode.OK, set.StatusCode);
        var view = (await set.Content.ReadFromJsonAsync<JsonElement>(_ct)).GetProperty("nango");
        Assert.True(view.GetProperty("hasWebhookSigningKey").GetBoolean());
        Assert.DoesNotContain(signingKey, view.ToString(), StringComparison.Ordinal);

        var id = await kit.ConnectAsync("hook-user", "hook@example.com");
        await kit.ConnectAsync("hook-user", "hook@example.com");
        kit.Google.RevokeUser("hook@example.com");
        Assert.Equal(HttpStatusCode.Conflict, (await kit.TokenAsync(id, forceRefresh: true)).StatusCode);
        var deliveries = await Eventually.HoldsAsync(() => Task.FromResult(receiver.Received), r => r.Count >= 3, because: "three Nango auth webhooks");

        var results = await VerifyAsync(node, project, signingKey, deliveries);

        Assert.Equal(3, deliveries.Count);
        Assert.All(results.EnumerateArray(), result =>
        {
            Assert.True(result.GetProperty("verified").GetBoolean());
            Assert.True(result.GetProperty("legacyVerified").GetBoolean());
            Assert.False(result.GetProperty("verifiedWithAWrongKey").GetBoolean());
        });
        var payloads = results.EnumerateArray().Select(r => r.GetProperty("payload")).ToList();
        Assert.Equal(["creation", "override", "refresh"], payloads.Select(p => p.GetProperty("operation").GetString()));
        Assert.Equal([true, true, false], payloads.Select(p => p.GetProperty("success").GetBoolean()));
        Assert.False(results[0].GetProperty("verifiedWhenTampered").GetBoolean());
        foreach (var payload in payloads)
        {
            Assert.Equal("nango", payload.GetProperty("from").GetString());
            Assert.Equal("auth", payload.GetProperty("type").GetString());
            Assert.Equal(id, payload.GetProperty("connectionId").GetString());
            Assert.Equal("google-calendar", payload.GetProperty("providerConfigKey").GetString());
            Assert.Equal("google-calendar", payload.GetProperty("provider").GetString());
            Assert.Equal("OAUTH2", payload.GetProperty("authMode").GetString());
            Assert.Equal("dev", payload.GetProperty("environment").GetString());
            Assert.Equal("hook-user", payload.GetProperty("endUser").GetProperty("endUserId").GetString());
            Assert.Equal("hook@example.com", payload.GetProperty("endUser").GetProperty("endUserEmail").GetString());
        }

        var error = payloads[2].GetProperty("error");
        Assert.Equal("invalid_grant", error.GetProperty("type").GetString());
        Assert.False(string.IsNullOrEmpty(error.GetProperty("description").GetString()));
        Assert.All(deliveries, d => Assert.Equal("application/json", d.Headers["content-type"]));
        Assert.DoesNotContain(deliveries, d => d.Headers.ContainsKey("webhook-signature"));
    }

    [Fact]
    public async Task TurningNangoWebhooksOff_StopsThem_AndTheUrlIsReadWhenSending()
    {
        await using var first = await WebhookReceiver.StartAsync();
        await using var second = await WebhookReceiver.StartAsync();
        using var kit = await ConnectionKit.CreateAsync(fixture.Host);
        await SetNangoAsync(kit, new { webhookUrl = first.Url(), webhookSigningKey = "k-" + Guid.NewGuid().ToString("N") });
        await kit.ConnectAsync("before", "before@example.com");
        await Eventually.HoldsAsync(() => Task.FromResult(first.Received.Count), n => n == 1);

        var off = await SetNangoAsync(kit, new { webhookUrl = "" });
        await kit.ConnectAsync("while-off", "off@example.com");
        await SetNangoAsync(kit, new { webhookUrl = second.Url(), webhookSigningKey = "k-" + Guid.NewGuid().ToString("N") });
        await kit.ConnectAsync("after", "after@example.com");
        // While off, the Standard outbox hands the Nango one nothing: "while-off" never reaches it.
        await Eventually.HoldsAsync(() => Task.FromResult(second.Received.Count), n => n >= 1);

        Assert.Equal(JsonValueKind.Null, off.GetProperty("nango").ValueKind);
        Assert.Single(first.Received);
        var only = Assert.Single(second.Received);
        Assert.Contains("\"endUserId\":\"after\"", only.BodyText, StringComparison.Ordinal);
    }

    private async Task<JsonElement> SetNangoAsync(ConnectionKit kit, object nango)
    {
        var response = await fixture.Host.Admin.PatchAsJsonAsync($"/v1/tenants/{kit.Tenant.Id}", new { nango }, _ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>(_ct);
    }

    [Fact]
    public void Payload_IsWrittenAsNangoWritesIt_SortedCompactAndUnescaped()
    {
        var data = """{"id":"c-1","endUserId":"u <1> & ü","accountEmail":null,"status":"needs_reauth","lastError":{"code":"invalid_grant","message":"Token has been expired or revoked.","at":"2026-01-01T00:00:00Z"}}""";

        var body = NangoAuthWebhookPayload.Build(new WebhookEvent("evt_1", WebhookEventTypes.ConnectionNeedsReauth, TimeProvider.System.GetUtcNow(), data), "prod")!;

        Assert.Equal(
            """{"authMode":"OAUTH2","connectionId":"c-1","endUser":{"endUserEmail":null,"endUserId":"u <1> & ü","tags":{}},"environment":"prod","error":{"description":"Token has been expired or revoked.","type":"invalid_grant"},"from":"nango","operation":"refresh","provider":"google-calendar","providerConfigKey":"google-calendar","success":false,"type":"auth"}""",
            System.Text.Encoding.UTF8.GetString(body));
        Assert.Null(NangoAuthWebhookPayload.Build(new WebhookEvent("evt_2", WebhookEventTypes.ConnectionDeleted, TimeProvider.System.GetUtcNow(), data), "prod"));
    }

    [Fact]
    public void Signatures_AreNangos_HexHmacOfTheBody_AndHexSha256OfKeyThenBody()
    {
        var body = "The quick brown fox jumps over the lazy dog"u8;

        // Computed elsewhere: openssl dgst -sha256 -hmac key, and sha256sum of "key" followed by the text.
        Assert.Equal("f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8", NangoWebhookSignature.Hmac("key", body));
        Assert.Equal("51729876100348eb46ed8c4bf39efa4037a3a2c687f864348ed69292a67ffdbc", NangoWebhookSignature.Legacy("key", body));
    }

    private async Task<JsonElement> VerifyAsync(string node, string project, string signingKey, IReadOnlyList<ReceivedWebhook> deliveries)
    {
        var file = Path.Combine(Path.GetTempPath(), $"cg-nango-hooks-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(file, JsonSerializer.Serialize(new
        {
            signingKey,
            deliveries = deliveries.Select(d => new { body = d.BodyText, headers = d.Headers }),
        }), _ct);
        try
        {
            return await NodeScripts.RunAsync(node, Path.Combine(project, "verify-webhooks.mjs"), new Dictionary<string, string> { ["JOB_FILE"] = file }, TimeSpan.FromSeconds(60), _ct);
        }
        finally
        {
            File.Delete(file);
        }
    }
}
