using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using CalendarGrains.Silo.Tenants;
using CalendarGrains.Silo.Vapi;
using CalendarGrains.Tenants;
using CalendarGrains.Tests.Connections;
using CalendarGrains.Tests.Infrastructure;
using CalendarGrains.Tests.Nango;
using CalendarGrains.Tests.Webhooks;
using CalendarGrains.Webhooks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace CalendarGrains.Tests.Security;

/// <summary>
/// Issue 17.7: a tenant's webhook URL can be removed (PATCH with null), and its webhookSecret and
/// vapiServerSecret rotated: the new secret is shown once, the replaced one works for 24 hours.
/// </summary>
public sealed class TenantSecretRotationTests : IAsyncLifetime
{
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;
    private readonly FakeTimeProvider _clock = new(TimeProvider.System.GetUtcNow());
    private ServiceHost _host = null!;

    public async ValueTask InitializeAsync() => _host = await ServiceHost.StartAsync(configure: builder =>
        builder.Services.AddKeyedSingleton<TimeProvider>(CalendarGrains.Common.ServiceTime.Key, _clock));

    public async ValueTask DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task PatchWebhookUrlNull_RemovesIt_WhileAMissingMemberKeepsIt()
    {
        var tenant = await TestTenants.CreateAsync(_host);

        var keep = await _host.Admin.PatchAsJsonAsync($"/v1/tenants/{tenant.Id}", new { name = "Renamed" }, _ct);
        var kept = await keep.Content.ReadFromJsonAsync<TenantView>(_ct);
        var clear = await _host.Admin.PatchAsync($"/v1/tenants/{tenant.Id}", new StringContent("{\"webhookUrl\":null}", Encoding.UTF8, "application/json"), _ct);
        var cleared = await clear.Content.ReadFromJsonAsync<TenantView>(_ct);
        var read = await _host.Admin.GetFromJsonAsync<TenantView>($"/v1/tenants/{tenant.Id}", _ct);
        var again = await _host.Admin.PatchAsJsonAsync($"/v1/tenants/{tenant.Id}", new { webhookUrl = "https://acme.example/new-hooks" }, _ct);

        Assert.Equal(tenant.WebhookUrl, kept!.WebhookUrl);
        Assert.Equal(HttpStatusCode.OK, clear.StatusCode);
        Assert.Null(cleared!.WebhookUrl);
        Assert.Null(read!.WebhookUrl);
        Assert.Equal("https://acme.example/new-hooks", (await again.Content.ReadFromJsonAsync<TenantView>(_ct))!.WebhookUrl);
    }

    [Fact]
    public async Task RotateWebhookSecret_SignsWithBothForTheGrace_ThenOnlyTheNew()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        using var kit = await ConnectionKit.CreateAsync(_host, webhookUrl: receiver.Url());
        var old = kit.Tenant.WebhookSecret;

        var rotation = await RotateAsync(kit.Tenant.Id, "webhook-secret", _host.Admin);
        await NangoRoutesTests.ImportAsync(kit, "rotated-" + Guid.NewGuid().ToString("N")[..8], "rotated-user", "1//r", validate: false);
        var during = await Eventually.HoldsAsync(() => Task.FromResult(receiver.Received.ToList()), all => all.Count >= 1, because: "the webhook arrives");
        _clock.Advance(SecretRotated.Grace + TimeSpan.FromMinutes(1));
        await NangoRoutesTests.ImportAsync(kit, "rotated-" + Guid.NewGuid().ToString("N")[..8], "rotated-user-2", "1//r", validate: false);
        var after = await Eventually.HoldsAsync(() => Task.FromResult(receiver.Received.ToList()), all => all.Count >= 2, because: "the second webhook arrives");

        Assert.StartsWith("whsec_", rotation.Secret, StringComparison.Ordinal);
        Assert.NotEqual(old, rotation.Secret);
        Assert.Equal(_clock.GetUtcNow() - TimeSpan.FromMinutes(1), rotation.PreviousSecretValidUntil);
        var first = during[0];
        Assert.True(Verifies(first, rotation.Secret), "the new secret verifies during the grace");
        Assert.True(Verifies(first, old), "the old secret verifies during the grace");
        var second = after[^1];
        Assert.True(Verifies(second, rotation.Secret));
        Assert.False(Verifies(second, old), "after the grace only the new secret signs");
    }

    [Fact]
    public async Task RotateVapiServerSecret_OldOneAcceptedForTheGrace_AndTheTenantMayRotateItsOwn()
    {
        var tenant = await TestTenants.CreateAsync(_host);
        using var own = _host.Client(tenant.ApiKey);
        var other = await TestTenants.CreateAsync(_host);

        var rotation = await RotateAsync(tenant.Id, "vapi-server-secret", own);
        var stranger = await own.PostAsync($"/v1/tenants/{other.Id}/vapi-server-secret/rotate", null, _ct);
        var anonymous = await _host.Http.PostAsync($"/v1/tenants/{tenant.Id}/vapi-server-secret/rotate", null, _ct);
        var oldDuring = await ToolCallAsync(tenant.Id, tenant.VapiServerSecret);
        var newDuring = await ToolCallAsync(tenant.Id, rotation.Secret);
        _clock.Advance(SecretRotated.Grace + TimeSpan.FromMinutes(1));
        var oldAfter = await ToolCallAsync(tenant.Id, tenant.VapiServerSecret);
        var newAfter = await ToolCallAsync(tenant.Id, rotation.Secret);

        Assert.StartsWith("vss_", rotation.Secret, StringComparison.Ordinal);
        await ProblemAssert.IsProblemAsync(stranger, HttpStatusCode.NotFound, "not_found");
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.OK, oldDuring);
        Assert.Equal(HttpStatusCode.OK, newDuring);
        Assert.Equal(HttpStatusCode.Unauthorized, oldAfter);
        Assert.Equal(HttpStatusCode.OK, newAfter);
        // The tool definitions carry the new secret from now on.
        var tools = await own.GetFromJsonAsync<JsonElement>("/v1/vapi/tools", _ct);
        Assert.Contains(rotation.Secret, tools.GetRawText(), StringComparison.Ordinal);
    }

    private async Task<RotatedSecretResponse> RotateAsync(string tenantId, string secret, HttpClient client)
    {
        var response = await client.PostAsync($"/v1/tenants/{tenantId}/{secret}/rotate", null, _ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("no-store", response.Headers.CacheControl?.ToString() ?? "", StringComparison.Ordinal);
        return (await response.Content.ReadFromJsonAsync<RotatedSecretResponse>(_ct))!;
    }

    private async Task<HttpStatusCode> ToolCallAsync(string tenantId, string secret)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/v1/vapi/tool-calls/{tenantId}")
        {
            Content = new StringContent("{\"message\":{\"type\":\"tool-calls\",\"toolCallList\":[]}}", Encoding.UTF8, "application/json"),
        };
        request.Headers.Add(VapiServerSecret.Header, secret);
        using var response = await _host.Http.SendAsync(request, _ct);
        return response.StatusCode;
    }

    /// <summary>Verifies as a Standard Webhooks receiver does: any one of the listed signatures is enough.</summary>
    private static bool Verifies(ReceivedWebhook webhook, string secret)
    {
        var expected = new StandardWebhookSigner(secret).Sign(webhook.Id, long.Parse(webhook.Headers["webhook-timestamp"]), webhook.Body);
        return webhook.Headers["webhook-signature"].Split(' ').Contains(expected);
    }
}
