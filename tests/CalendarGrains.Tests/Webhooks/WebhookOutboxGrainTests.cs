using System.Diagnostics;
using CalendarGrains.Common;
using CalendarGrains.Tenants;
using CalendarGrains.Tests.Infrastructure;
using CalendarGrains.Webhooks;
using Microsoft.Extensions.DependencyInjection;

namespace CalendarGrains.Tests.Webhooks;

/// <summary>The outbox grain against a real HTTP receiver, with time driven by the fixture's fake clock.</summary>
public sealed class WebhookOutboxGrainTests(WebhookClusterFixture fixture) : IClassFixture<WebhookClusterFixture>
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(15);

    private DateTimeOffset Now => fixture.Time.GetUtcNow();

    [Fact]
    public async Task Enqueue_DeliversOnce_SignedWithStandardWebhooksHeaders()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var (outbox, secret) = await TenantAsync(receiver.Url());
        var webhookEvent = Event(data: "{\"connectionId\": \"conn_1\", \"endUserId\": \"user-7\"}") with
        {
            Timestamp = new DateTimeOffset(2026, 11, 24, 10, 15, 30, TimeSpan.FromHours(1)),
        };
        var sentAt = Now;

        await outbox.EnqueueAsync(webhookEvent);

        var status = await StatusWhenAsync(outbox, s => s.Delivered == 1, "the event is delivered");
        var request = Assert.Single(receiver.Received);
        Assert.Equal("/hooks", request.Path);
        Assert.Equal("application/json", request.Headers["content-type"]);
        Assert.Equal(webhookEvent.Id, request.Headers["webhook-id"]);
        Assert.Equal(sentAt.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture), request.Headers["webhook-timestamp"]);
        Assert.Equal(
            "{\"type\":\"connection.created\",\"timestamp\":\"2026-11-24T09:15:30Z\",\"data\":{\"connectionId\": \"conn_1\", \"endUserId\": \"user-7\"}}",
            request.BodyText);
        Assert.True(IndependentWebhookVerifier.Verifies(secret, request.Id, request.Headers["webhook-timestamp"], request.Headers["webhook-signature"], request.BodyText));
        Assert.Equal(new WebhookOutboxStatus(0, 1, 0, null, null), status);

        // A later event going through proves the outbox ran again: the first was still sent only once.
        fixture.Time.Advance(TimeSpan.FromHours(2));
        var second = Event();
        await outbox.EnqueueAsync(second);
        await StatusWhenAsync(outbox, s => s.Delivered == 2, "the second event is delivered");
        Assert.Equal([webhookEvent.Id, second.Id], receiver.Received.Select(r => r.Id));
    }

    [Fact]
    public async Task Failures_AreRetriedWithGrowingBackoff_UntilA2xx_AndNeverSentAgain()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var (outbox, secret) = await TenantAsync(receiver.Url());
        receiver.FailNext(3, 500);
        var webhookEvent = Event();
        await outbox.EnqueueAsync(webhookEvent);
        Assert.NotEmpty(await RemindersAsync(outbox));

        TimeSpan[] schedule = [TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(2)];
        for (var failure = 1; failure <= 3; failure++)
        {
            var status = await StatusWhenAsync(
                outbox,
                s => receiver.Received.Count == failure && s.NextAttemptAt > Now,
                $"failure {failure} is recorded with a next attempt");
            Assert.Equal("http_500", status.LastError);
            Assert.Equal(1, status.Pending);
            var wait = status.NextAttemptAt!.Value - Now;
            Assert.InRange(wait, schedule[failure - 1] * 0.8, schedule[failure - 1] * 1.2);
            fixture.Time.Advance(wait);
        }

        var delivered = await StatusWhenAsync(outbox, s => s.Delivered == 1, "the 4th attempt delivers it");
        Assert.Equal(0, delivered.Pending);
        Assert.Equal([500, 500, 500, 200], receiver.Received.Select(r => r.Status));
        Assert.All(receiver.Received, r => Assert.Equal(webhookEvent.Id, r.Id));
        Assert.All(receiver.Received, r => Assert.True(IndependentWebhookVerifier.Verifies(secret, r.Id, r.Headers["webhook-timestamp"], r.Headers["webhook-signature"], r.BodyText)));
        var timestamps = receiver.Received.Select(r => long.Parse(r.Headers["webhook-timestamp"], System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(timestamps.Order(), timestamps);
        Assert.True(timestamps[^1] - timestamps[0] >= 120, "each attempt is signed with its own time");
        await Eventually.HoldsAsync(async () => (await RemindersAsync(outbox)).Count == 0, Deadline, "the reminder goes once the queue is empty");

        fixture.Time.Advance(TimeSpan.FromHours(3));
        await outbox.EnqueueAsync(Event());
        await StatusWhenAsync(outbox, s => s.Delivered == 2, "a later event is delivered");
        Assert.Single(receiver.Delivered, r => r.Id == webhookEvent.Id);
        Assert.Equal(4, receiver.Received.Count(r => r.Id == webhookEvent.Id));
    }

    [Fact]
    public async Task AnEndpointThatKeepsFailing_IsRetriedForTheRetentionWindow_ThenTheEventIsDropped()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var (outbox, _) = await TenantAsync(receiver.Url());
        receiver.FailAll(503);
        var enqueuedAt = Now;
        await outbox.EnqueueAsync(Event());

        WebhookOutboxStatus status;
        var rounds = 0;
        while (true)
        {
            status = await StatusWhenAsync(outbox, s => s.Pending == 0 || s.NextAttemptAt > Now, "an attempt fails or the event is dropped");
            if (status.Pending == 0)
            {
                break;
            }

            Assert.True(++rounds < 120, "far more attempts than the schedule allows");
            fixture.Time.Advance(status.NextAttemptAt!.Value - Now);
        }

        var retriedFor = Now - enqueuedAt;
        Assert.InRange(retriedFor, TimeSpan.FromHours(70), TimeSpan.FromHours(72));
        Assert.Equal(1, status.Dropped);
        Assert.Equal(0, status.Delivered);
        Assert.Equal("http_503", status.LastError);
        Assert.Null(status.NextAttemptAt);
        Assert.InRange(receiver.Received.Count, 70, 80);
        Assert.Empty(receiver.Delivered);
    }

    [Fact]
    public async Task AFullQueue_DropsTheOldestEvents()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var (outbox, _) = await TenantAsync(receiver.Url());
        receiver.FailAll();
        var events = Enumerable.Range(1, WebhookClusterFixture.QueueCapacity + 2).Select(i => Event($"evt_cap_{i}_{Guid.NewGuid():N}")).ToList();

        foreach (var webhookEvent in events)
        {
            await outbox.EnqueueAsync(webhookEvent);
        }

        var full = await outbox.GetStatusAsync();
        Assert.Equal(WebhookClusterFixture.QueueCapacity, full.Pending);
        Assert.Equal(2, full.Dropped);

        // Quiet before the endpoint recovers: every kept event has had its failed first attempt and
        // none is on the wire, so no attempt begun before a drop can land as a success (under load it did).
        await Eventually.HoldsAsync(
            () => Task.FromResult(receiver.InFlight == 0 && events.Skip(2).All(e => receiver.Received.Any(r => r.Id == e.Id))),
            Deadline, "every kept event's first attempt has failed");
        receiver.SucceedFromNowOn();
        await Eventually.HoldsAsync(
            async () =>
            {
                // Drive time on until every pending event has had its retry.
                fixture.Time.Advance(TimeSpan.FromMinutes(1));
                return await outbox.GetStatusAsync();
            },
            s => s.Pending == 0,
            Deadline,
            "the remaining events are delivered");
        Assert.Equal(events.Skip(2).Select(e => e.Id).Order(), receiver.Delivered.Select(r => r.Id).Order());
        Assert.Equal(new WebhookOutboxStatus(0, WebhookClusterFixture.QueueCapacity, 2, null, "http_500"), await outbox.GetStatusAsync());
    }

    [Fact]
    public async Task ASlowEndpoint_GetsAtMostFourAttemptsAtOnce_InEnqueueOrder_AndDoesNotBlockCallers()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var (outbox, _) = await TenantAsync(receiver.Url());
        receiver.Hold();
        var events = Enumerable.Range(1, 6).Select(i => Event($"evt_slow_{i}_{Guid.NewGuid():N}")).ToList();
        foreach (var webhookEvent in events)
        {
            await outbox.EnqueueAsync(webhookEvent);
        }

        await Eventually.HoldsAsync(() => Task.FromResult(receiver.InFlight == 4), Deadline, "four attempts reach the endpoint");

        // While four attempts hang, the grain still answers at once (an attempt may take 10 s).
        var clock = Stopwatch.StartNew();
        await outbox.EnqueueAsync(Event("evt_slow_7_" + Guid.NewGuid().ToString("N")));
        var status = await outbox.GetStatusAsync();
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(3), $"the grain answered in {clock.Elapsed} while attempts hung");
        Assert.Equal(7, status.Pending);
        Assert.Equal(events.Take(4).Select(e => e.Id).Order(), receiver.Arrivals.Order());

        receiver.Release();
        await StatusWhenAsync(outbox, s => s.Delivered == 7, "all are delivered once the endpoint answers");
        Assert.Equal(4, receiver.MaxInFlight);
        Assert.Equal(7, receiver.Received.Count);
    }

    [Fact]
    public async Task AnUnreachableEndpoint_IsAConnectionError_AndTheEventWaits()
    {
        var (outbox, _) = await TenantAsync($"http://127.0.0.1:{FreePort.Next()}/hooks");

        await outbox.EnqueueAsync(Event());

        var status = await StatusWhenAsync(outbox, s => s.NextAttemptAt > Now, "the failed attempt is recorded");
        Assert.Equal("connection_error", status.LastError);
        Assert.Equal(1, status.Pending);
        Assert.Equal(0, status.Dropped);
    }

    [Fact]
    public async Task ATenantWithoutAWebhookUrl_QueuesNothing_AndCountsADrop()
    {
        var (outbox, _) = await TenantAsync(webhookUrl: null);

        await outbox.EnqueueAsync(Event());

        Assert.Equal(new WebhookOutboxStatus(0, 0, 1, null, null), await outbox.GetStatusAsync());
        Assert.Empty(await RemindersAsync(outbox));
    }

    [Fact]
    public async Task Enqueue_TheSameEventTwice_QueuesItOnce_AndABadEventIsRefused()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var (outbox, _) = await TenantAsync(receiver.Url());
        receiver.FailAll();
        var webhookEvent = Event();

        await outbox.EnqueueAsync(webhookEvent);
        await outbox.EnqueueAsync(webhookEvent);

        Assert.Equal(1, (await outbox.GetStatusAsync()).Pending);
        await Assert.ThrowsAsync<ArgumentException>(() => outbox.EnqueueAsync(Event(data: "not json")));
        Assert.Equal(1, (await outbox.GetStatusAsync()).Pending);
    }

    [Fact]
    public async Task Enqueue_AnIdAlreadyDelivered_IsAcknowledgedAndNotSentAgain_UntilTheRetentionIsOver()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var (outbox, _) = await TenantAsync(receiver.Url());
        var webhookEvent = Event();
        await outbox.EnqueueAsync(webhookEvent);
        await StatusWhenAsync(outbox, s => s.Delivered == 1, "the event is delivered");

        // The producer did not see the acknowledgement and sends it again, an hour later.
        fixture.Time.Advance(TimeSpan.FromHours(1));
        await outbox.EnqueueAsync(webhookEvent);
        var marker = Event();
        await outbox.EnqueueAsync(marker);
        await StatusWhenAsync(outbox, s => s.Delivered == 2, "the next event is delivered");
        Assert.Equal([webhookEvent.Id, marker.Id], receiver.Received.Select(r => r.Id));
        Assert.Equal(new WebhookOutboxStatus(0, 2, 0, null, null), await outbox.GetStatusAsync());

        // Past the retention the id is forgotten (memory stays bounded): it is a new event then.
        fixture.Time.Advance(TimeSpan.FromHours(72));
        await outbox.EnqueueAsync(webhookEvent);
        await StatusWhenAsync(outbox, s => s.Delivered == 3, "the id is accepted again after the retention");
    }

    [Fact]
    public async Task Enqueue_AnIdDroppedBecauseTheTenantHadNoUrl_IsCountedOnce()
    {
        var (outbox, _) = await TenantAsync(webhookUrl: null);
        var webhookEvent = Event();

        await outbox.EnqueueAsync(webhookEvent);
        await outbox.EnqueueAsync(webhookEvent);

        Assert.Equal(new WebhookOutboxStatus(0, 0, 1, null, null), await outbox.GetStatusAsync());
        var delivery = Assert.Single(await outbox.GetRecentDeliveriesAsync(10));
        Assert.Equal((webhookEvent.Id, WebhookDeliveryStatus.Dropped, "no_webhook_url", 0), (delivery.EventId, delivery.Status, delivery.LastError, delivery.Attempts));
    }

    [Fact]
    public async Task GetRecentDeliveries_ShowsFailingEventsFirst_WithCodesAndTimes_NeverAUrlOrBody()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var (outbox, secret) = await TenantAsync(receiver.Url("?token=query-secret"));
        var delivered = Event(data: "{\"body\":\"body-marker\"}");
        await outbox.EnqueueAsync(delivered);
        await StatusWhenAsync(outbox, s => s.Delivered == 1, "the first event is delivered");
        receiver.FailAll(503);
        var failing = Event();
        await outbox.EnqueueAsync(failing);
        var status = await StatusWhenAsync(outbox, s => s.NextAttemptAt > Now, "the second event's attempt fails");

        var deliveries = await outbox.GetRecentDeliveriesAsync(50);

        Assert.Equal([failing.Id, delivered.Id], deliveries.Select(d => d.EventId));
        var retrying = deliveries[0];
        Assert.Equal(
            (WebhookEventTypes.ConnectionCreated, WebhookDeliveryStatus.Retrying, 1, "http_503", (int?)503, status.NextAttemptAt, (DateTimeOffset?)null),
            (retrying.Type, retrying.Status, retrying.Attempts, retrying.LastError, retrying.LastStatusCode, retrying.NextAttemptAt, retrying.DeliveredAt));
        var done = deliveries[1];
        Assert.Equal((WebhookDeliveryStatus.Delivered, 1, (int?)200, (DateTimeOffset?)null), (done.Status, done.Attempts, done.LastStatusCode, done.NextAttemptAt));
        Assert.NotNull(done.DeliveredAt);
        var shown = string.Join('|', deliveries);
        Assert.DoesNotContain("query-secret", shown, StringComparison.Ordinal);
        Assert.DoesNotContain("body-marker", shown, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, shown, StringComparison.Ordinal);
        Assert.DoesNotContain("127.0.0.1", shown, StringComparison.Ordinal);
        Assert.Equal([failing.Id], (await outbox.GetRecentDeliveriesAsync(1)).Select(d => d.EventId));
    }

    [Fact]
    public async Task RetryNow_SendsAWaitingEventAtOnce_AndKnowsOnlyPendingEvents()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var (outbox, _) = await TenantAsync(receiver.Url());
        receiver.FailNext(1, 500);
        var webhookEvent = Event();
        await outbox.EnqueueAsync(webhookEvent);
        var waiting = await StatusWhenAsync(outbox, s => s.NextAttemptAt > Now, "the first attempt fails");
        Assert.True(waiting.NextAttemptAt - Now > TimeSpan.FromSeconds(3));

        Assert.True(await outbox.RetryNowAsync(webhookEvent.Id));

        // No time passes: the retry was made due now.
        await StatusWhenAsync(outbox, s => s.Delivered == 1, "the retry is sent at once");
        Assert.Equal([500, 200], receiver.Received.Select(r => r.Status));
        Assert.False(await outbox.RetryNowAsync(webhookEvent.Id));
        Assert.False(await outbox.RetryNowAsync("evt_unknown"));
    }

    [Fact]
    public async Task Activation_MovesEventsAnEarlierVersionKeptInGrainState_IntoTheStore_AndDeliversThem()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        // Not called yet, so not active: its first activation finds the old record.
        var (outbox, _) = await TenantAsync(receiver.Url());
        var first = Event();
        var second = Event();
        var old = new WebhookOutboxState
        {
            Pending = [new PendingWebhook(first, Now, 2, Now, "http_500"), new PendingWebhook(second, Now, 0, Now, null)],
            Delivered = 40,
            Dropped = 3,
            LastError = "http_500",
        };
        // Written as the earlier version did: the grain's state record, before the grain ever ran here.
        var storage = fixture.Cluster.Silos[0].ServiceProvider.GetRequiredKeyedService<Orleans.Storage.IGrainStorage>(StorageNames.State);
        await storage.WriteStateAsync("webhookOutbox", outbox.GetGrainId(), new GrainState<WebhookOutboxState>(old));

        var status = await StatusWhenAsync(outbox, s => s.Delivered == 42, "both moved events are delivered");

        Assert.Equal((0, 3L, "http_500"), (status.Pending, status.Dropped, status.LastError));
        // Both were due: they go out side by side, in either order.
        Assert.Equal(new[] { first.Id, second.Id }.Order(), receiver.Received.Select(r => r.Id).Order());
        var left = new GrainState<WebhookOutboxState>(new WebhookOutboxState());
        await storage.ReadStateAsync("webhookOutbox", outbox.GetGrainId(), left);
        Assert.False(left.RecordExists);
    }

    private async Task<(IWebhookOutboxGrain Outbox, string Secret)> TenantAsync(string? webhookUrl)
    {
        var tenantId = Ids.NewTenantId(fixture.Time);
        var created = await fixture.Grains.GetGrain<ITenantGrain>(tenantId).CreateAsync(Definition(webhookUrl));
        return (fixture.Grains.GetGrain<IWebhookOutboxGrain>(tenantId), created.WebhookSecret);
    }

    private static TenantDefinition Definition(string? webhookUrl) =>
        new("Webhook Tenant", new GoogleClientInput("client", "client-secret", []), null, webhookUrl, []);

    private WebhookEvent Event(string? id = null, string data = "{\"connectionId\":\"conn_1\"}") =>
        new(id ?? "evt_" + Guid.NewGuid().ToString("N"), WebhookEventTypes.ConnectionCreated, Now, data);

    private static Task<WebhookOutboxStatus> StatusWhenAsync(IWebhookOutboxGrain outbox, Func<WebhookOutboxStatus, bool> condition, string because) =>
        Eventually.HoldsAsync(outbox.GetStatusAsync, condition, Deadline, because);

    private async Task<List<ReminderEntry>> RemindersAsync(IWebhookOutboxGrain outbox)
    {
        var table = fixture.Cluster.Silos[0].ServiceProvider.GetRequiredService<IReminderTable>();
        return [.. (await table.ReadRows(outbox.GetGrainId())).Reminders];
    }
}
