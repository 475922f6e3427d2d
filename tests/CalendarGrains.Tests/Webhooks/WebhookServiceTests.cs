using System.Text;
using CalendarGrains.Tests.Infrastructure;
using CalendarGrains.Webhooks;

namespace CalendarGrains.Tests.Webhooks;

/// <summary>One sandbox-mode service with short retry delays, for the webhook tests of the real host.</summary>
public sealed class WebhookServiceFixture : IAsyncLifetime
{
    public ServiceHost Host { get; private set; } = null!;

    public async ValueTask InitializeAsync() => Host = await ServiceHost.StartAsync(new Dictionary<string, string?>
    {
        ["Webhooks:RetryDelays:0"] = "00:00:00.2",
    });

    public async ValueTask DisposeAsync() => await Host.DisposeAsync();
}

/// <summary>The outbox inside the real service (sandbox mode, real time), seen from a tenant's endpoint.</summary>
public sealed class WebhookServiceTests(WebhookServiceFixture fixture) : IClassFixture<WebhookServiceFixture>
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);

    private ServiceHost Host => fixture.Host;

    [Fact]
    public async Task ADelivery_VerifiesWithTheStandardWebhooksReferenceLibrary()
    {
        var (script, missing) = WebhookVerifyScript.Locate();
        if (script is null)
        {
            Assert.False(Environment.GetEnvironmentVariable(WebhookVerifyScript.RequiredVariable) == "1", $"CI must run this test, but {missing}.");
            Assert.Skip($"Cannot run the Standard Webhooks reference library here: {missing}.");
        }

        await using var receiver = await WebhookReceiver.StartAsync();
        var tenant = await TestTenants.CreateAsync(Host, TestTenants.Definition(webhookUrl: receiver.Url()));
        var webhookEvent = new WebhookEvent("evt_" + Guid.NewGuid().ToString("N"), WebhookEventTypes.ConnectionNeedsReauth,
            DateTimeOffset.Parse("2026-11-24T09:00:00Z", System.Globalization.CultureInfo.InvariantCulture),
            "{\"connectionId\":\"conn_01\",\"reason\":\"invalid_grant\",\"note\":\"Zoë — ✓\"}");

        await Host.Grains.GetGrain<IWebhookOutboxGrain>(tenant.Id).EnqueueAsync(webhookEvent);

        var request = await Eventually.HoldsAsync(() => Task.FromResult(receiver.Delivered.SingleOrDefault()), r => r is not null, Deadline, "the event is delivered");
        var headers = request!.Headers.Where(h => h.Key.StartsWith("webhook-", StringComparison.Ordinal)).ToDictionary(h => h.Key, h => h.Value);
        Assert.Equal(3, headers.Count);
        var verified = await WebhookVerifyScript.RunAsync(script, tenant.WebhookSecret, headers, request.Body);
        Assert.True(verified.ExitCode == 0, $"the reference library refused a genuine delivery: {verified.Output}");

        // The script really checks: a changed body, or another tenant's secret, does not verify.
        var tampered = Encoding.UTF8.GetBytes(request.BodyText.Replace("invalid_grant", "invalid_grunt", StringComparison.Ordinal));
        Assert.Equal(1, (await WebhookVerifyScript.RunAsync(script, tenant.WebhookSecret, headers, tampered)).ExitCode);
        var otherSecret = "whsec_" + Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        Assert.Equal(1, (await WebhookVerifyScript.RunAsync(script, otherSecret, headers, request.Body)).ExitCode);
    }

    [Fact]
    public async Task Logs_NeverHoldTheSecret_TheUrlQuery_TheBodyOrTheSignature()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var queryToken = "qtoken-" + Guid.NewGuid().ToString("N");
        var bodyMarker = "body-marker-" + Guid.NewGuid().ToString("N");
        var tenant = await TestTenants.CreateAsync(Host, TestTenants.Definition(webhookUrl: receiver.Url("?token=" + queryToken)));
        receiver.FailNext(1, 500);
        var webhookEvent = new WebhookEvent("evt_" + Guid.NewGuid().ToString("N"), WebhookEventTypes.CallEnded, DateTimeOffset.UnixEpoch, $"{{\"marker\":\"{bodyMarker}\"}}");

        await Host.Grains.GetGrain<IWebhookOutboxGrain>(tenant.Id).EnqueueAsync(webhookEvent);

        await Eventually.HoldsAsync(() => Task.FromResult(receiver.Delivered.Count == 1), Deadline, "delivered after one failure");
        Assert.Equal(2, receiver.Received.Count);
        Assert.All(receiver.Received, r => Assert.Equal("?token=" + queryToken, r.Query));
        var logs = Host.Logs.All;
        // The logs are the right ones: the failed attempt was logged, naming the event and the host only.
        Assert.Contains($"Webhook {webhookEvent.Id} ({WebhookEventTypes.CallEnded}) of tenant {tenant.Id} to {receiver.BaseUrl.Authority} failed (http_500)", logs, StringComparison.Ordinal);
        string[] neverLogged =
        [
            tenant.WebhookSecret,
            tenant.WebhookSecret["whsec_".Length..],
            queryToken,
            bodyMarker,
            .. receiver.Received.Select(r => r.Headers["webhook-signature"]),
            .. receiver.Received.Select(r => r.Headers["webhook-signature"]["v1,".Length..]),
        ];
        foreach (var secret in neverLogged)
        {
            Assert.DoesNotContain(secret, logs, StringComparison.Ordinal);
        }
    }
}
