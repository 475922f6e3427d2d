using System.Net;
using CalendarGrains.Calls;
using CalendarGrains.Tests.Calls;
using CalendarGrains.Tests.Infrastructure;
using CalendarGrains.Tests.Webhooks;

namespace CalendarGrains.Tests.Faults;

/// <summary>
/// Calls when the list index or the webhook outbox's storage fail on command, in sandbox and Redis
/// mode: every acknowledged call is readable and listed, and every stored status change reaches the
/// tenant exactly once (counted by <c>webhook-id</c>).
/// </summary>
public sealed class CallFaultTests(RedisServer redis)
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ACallWhoseIndexWriteFails_IsNotAcknowledged_ItsRetryIsListed_AndEveryChangeIsAnnouncedOnce(bool inRedis)
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var faults = await FaultHost.StartAsync(redis, inRedis);
        faults.Vapi.Use(EmulatorSettings.Fast);
        using var scenario = await CallScenario.StartAsync(faults.Host, faults.Vapi, webhookUrl: receiver.Url());
        faults.Index.FailNext(1, $"calls/{scenario.Tenant.Id}/status/");
        var key = Guid.NewGuid().ToString("N");

        var (first, _) = await scenario.PlaceAsync(scenario.Body(), key);
        Assert.True(first.StatusCode >= HttpStatusCode.InternalServerError, $"a failed index write must not be acknowledged; got {(int)first.StatusCode}");
        Assert.Equal(1, faults.Index.Injected);

        var (retry, call) = await scenario.PlaceAsync(scenario.Body(), key);
        Assert.Equal(HttpStatusCode.OK, retry.StatusCode); // the first attempt stored it: the same call
        Assert.Contains(call!.Id, (await scenario.ListAsync()).Data.Select(c => c.Id));

        // Its watch puts it in line (the failed request never did), and it runs its course.
        var ended = await scenario.WaitForStatusAsync(call.Id, CallStatus.Ended, TimeSpan.FromSeconds(30));
        await ListedUnderAsync(scenario, call.Id, "ended");
        Assert.DoesNotContain(call.Id, (await scenario.ListAsync("?status=pending")).Data.Select(c => c.Id));
        Assert.Single(scenario.DialledCalls());
        await AssertEachChangeAnnouncedOnceAsync(receiver, ended);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task WhileTheOutboxCannotStoreEvents_ACallRunsItsCourse_AndEachOfItsWebhooksArrivesOnceWhenItRecovers(bool inRedis)
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var faults = await FaultHost.StartAsync(redis, inRedis);
        faults.Vapi.Use(EmulatorSettings.Fast);
        using var scenario = await CallScenario.StartAsync(faults.Host, faults.Vapi, webhookUrl: receiver.Url());
        faults.Outbox.FailAll("add ");

        var call = await scenario.PlaceAcceptedAsync(idempotencyKey: Guid.NewGuid().ToString("N"));
        await scenario.WaitForStatusAsync(call.Id, CallStatus.Ended, TimeSpan.FromSeconds(30));
        await ListedUnderAsync(scenario, call.Id, "ended");

        // The webhooks stay owed, and the call's watch keeps handing them over (it ticks each second).
        var refusedSoFar = faults.Outbox.Injected;
        await Eventually.HoldsAsync(() => Task.FromResult(faults.Outbox.Injected >= refusedSoFar + 3), TimeSpan.FromSeconds(30), "the owed webhooks are offered again");
        faults.Outbox.Heal();

        await AssertEachChangeAnnouncedOnceAsync(receiver, await scenario.WaitForAsync(call.Id, c => c.Cost is not null || c.EndedReason is not null, "the report is in"));
    }

    /// <summary>
    /// The index follows the stored status a moment after a read can see it (the write comes
    /// first), so a list by status is waited on, briefly.
    /// </summary>
    private static Task ListedUnderAsync(CallScenario scenario, string callId, string status) =>
        Eventually.HoldsAsync(async () => (await scenario.ListAsync($"?status={status}")).Data.Any(c => c.Id == callId), TimeSpan.FromSeconds(10), $"{callId} listed as {status}");

    /// <summary>
    /// Every status change after <c>pending</c> (the history the call shows) is one
    /// <c>call.status_changed</c>, and the end one <c>call.ended</c>: each once, none missing.
    /// </summary>
    private static async Task AssertEachChangeAnnouncedOnceAsync(WebhookReceiver receiver, CallResource call)
    {
        var changes = call.StatusHistory.Skip(1).Select(change => CallStatuses.WireName(change.Status)).ToList();
        var announced = await WebhookLedger.WaitForAsync(receiver, call.Id, changes.Count + 1);
        Assert.Equal(
            changes.Order(StringComparer.Ordinal),
            announced.Where(a => a.Type == "call.status_changed").Select(a => a.Status!).Order(StringComparer.Ordinal));
        Assert.Single(announced, a => a.Type == "call.ended");
        Assert.Equal(changes.Count + 1, announced.Count);
    }
}
