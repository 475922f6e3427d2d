using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using CalendarGrains.Tests.Infrastructure;
using CalendarGrains.Tests.Webhooks;
using CalendarGrains.Webhooks;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Hosting;

namespace CalendarGrains.Tests.Nango;

/// <summary>
/// With real Redis and real time: a Nango <c>auth</c> webhook is kept by the tenant's Nango outbox
/// (the same delivery engine as its Standard Webhooks) through a restart of the service while the
/// Nango handler is down, and delivered once it is up, under one id a handler can deduplicate by.
/// </summary>
public sealed class NangoAuthWebhookDurabilityTests(RedisServer redis)
{
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;

    [Fact]
    public async Task NangoWebhook_SurvivesARestartWhileItsHandlerIsDown_AndIsDeliveredOnceUnderOneId()
    {
        await using var ours = await WebhookReceiver.StartAsync();
        await using var nango = await WebhookReceiver.StartAsync();
        nango.FailAll(503);
        var settings = ServiceHost.InRedisMode(redis);
        settings["Webhooks:RetryDelays:0"] = "00:00:00.2";
        settings["Webhooks:RetryDelays:1"] = "00:00:00.5";
        settings["Webhooks:ReminderPeriod"] = "00:00:01";
        // Note: reminders under a minute are for tests only; Orleans must be told to accept them.
        static void FastReminders(Microsoft.AspNetCore.Builder.WebApplicationBuilder builder) =>
            builder.Services.Configure<ReminderOptions>(options => options.MinimumReminderPeriod = TimeSpan.FromSeconds(1));
        var signingKey = "nango-signing-" + Guid.NewGuid().ToString("N");
        var connection = """{"id":"conn_durable","endUserId":"user-durable","accountEmail":"durable@example.com","status":"active"}""";
        var created = new WebhookEvent("evt_" + Guid.NewGuid().ToString("N"), WebhookEventTypes.ConnectionCreated, DateTimeOffset.UnixEpoch, connection);
        var nangoId = created.Id + ":nango";
        string tenantId;

        await using (var before = await ServiceHost.StartAsync(settings, FastReminders))
        {
            tenantId = (await TestTenants.CreateAsync(before, WithNango(ours.Url(), nango.Url(), signingKey))).Id;
            var standard = before.Grains.GetGrain<IWebhookOutboxGrain>(tenantId);
            // As a producer does until it is answered once: the second call changes nothing.
            await standard.EnqueueAsync(created);
            await standard.EnqueueAsync(created);
            await Eventually.HoldsAsync(() => Task.FromResult(nango.Received.Count >= 2), TimeSpan.FromSeconds(20), "the handler refuses it, and a retry too");
            await Eventually.HoldsAsync(() => Task.FromResult(ours.Delivered.Count == 1), TimeSpan.FromSeconds(20), "our own webhook goes out meanwhile");

            // Stop while an attempt hangs at the handler: shutdown cuts it short.
            nango.Hold();
            await Eventually.HoldsAsync(() => Task.FromResult(nango.InFlight == 1), TimeSpan.FromSeconds(20), "an attempt hangs at the handler");
            await before.App.StopAsync(_ct);
        }

        // The handler comes up while the service is down; the new process is never called about the event.
        nango.SucceedFromNowOn();
        nango.Release();
        await using var after = await ServiceHost.StartAsync(settings, FastReminders);

        var delivered = await Eventually.HoldsAsync(() => Task.FromResult(nango.Delivered), d => d.Count > 0, TimeSpan.FromSeconds(30), "the Nango webhook arrives after the restart");
        var outbox = after.Grains.GetGrain<IWebhookOutboxGrain>(WebhookOutboxKeys.Nango(tenantId));
        var status = await outbox.GetStatusAsync();
        Assert.Equal((0, 1L, "http_503"), (status.Pending, status.Delivered, status.LastError));
        var delivery = Assert.Single(delivered);
        // Every attempt, the refused, the cut-short and the delivered one, carried the same id.
        Assert.Equal([nangoId], nango.Arrivals.Distinct());
        Assert.True(nango.Arrivals.Count >= 3, $"{nango.Arrivals.Count} attempts");
        Assert.Equal(
            Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(signingKey), delivery.Body)),
            delivery.Headers["x-nango-hmac-sha256"]);
        using var body = JsonDocument.Parse(delivery.Body);
        Assert.Equal("creation", body.RootElement.GetProperty("operation").GetString());
        Assert.Equal("conn_durable", body.RootElement.GetProperty("connectionId").GetString());
        var recent = await outbox.GetRecentDeliveriesAsync(10);
        Assert.Equal((nangoId, WebhookDeliveryStatus.Delivered, 200), (recent[0].EventId, recent[0].Status, recent[0].LastStatusCode));

        // The producer sending it again after the restart changes nothing, in either outbox.
        await after.Grains.GetGrain<IWebhookOutboxGrain>(tenantId).EnqueueAsync(created);
        Assert.Equal((0, 1L), await PendingAndDeliveredAsync(outbox));
        Assert.Equal((0, 1L), await PendingAndDeliveredAsync(after.Grains.GetGrain<IWebhookOutboxGrain>(tenantId)));
        Assert.Equal([created.Id], ours.Arrivals);
    }

    [Fact]
    public async Task EventsNangoSendsNothingFor_StayOutOfTheNangoOutbox_AndItRefusesThemIfAskedDirectly()
    {
        await using var ours = await WebhookReceiver.StartAsync();
        await using var nango = await WebhookReceiver.StartAsync();
        await using var host = await ServiceHost.StartAsync(ServiceHost.InRedisMode(redis));
        var tenantId = (await TestTenants.CreateAsync(host, WithNango(ours.Url(), nango.Url(), "k-" + Guid.NewGuid().ToString("N")))).Id;
        var deleted = new WebhookEvent("evt_" + Guid.NewGuid().ToString("N"), WebhookEventTypes.ConnectionDeleted, DateTimeOffset.UnixEpoch, """{"id":"conn_gone"}""");

        await host.Grains.GetGrain<IWebhookOutboxGrain>(tenantId).EnqueueAsync(deleted);
        await Eventually.HoldsAsync(() => Task.FromResult(ours.Delivered.Count == 1), TimeSpan.FromSeconds(20), "our own webhook goes out");

        var outbox = host.Grains.GetGrain<IWebhookOutboxGrain>(WebhookOutboxKeys.Nango(tenantId));
        Assert.Equal((0, 0L), await PendingAndDeliveredAsync(outbox));
        Assert.Empty(await outbox.GetRecentDeliveriesAsync(10));
        await Assert.ThrowsAsync<ArgumentException>(() => outbox.EnqueueAsync(deleted));
        Assert.Empty(nango.Arrivals);
    }

    private static object WithNango(string webhookUrl, string nangoUrl, string signingKey) => new
    {
        name = "Acme",
        google = new { clientId = "acme.apps.googleusercontent.com", clientSecret = "gcs-" + Guid.NewGuid().ToString("N"), scopes = new[] { "https://www.googleapis.com/auth/calendar" } },
        vapi = new { apiKey = "vapi-" + Guid.NewGuid().ToString("N"), concurrencyLimit = 3 },
        webhookUrl,
        allowedReturnUrls = new[] { "https://acme.example/connected" },
        nango = new { webhookUrl = nangoUrl, webhookSigningKey = signingKey },
    };

    private static async Task<(int Pending, long Delivered)> PendingAndDeliveredAsync(IWebhookOutboxGrain outbox)
    {
        var status = await outbox.GetStatusAsync();
        return (status.Pending, status.Delivered);
    }
}
