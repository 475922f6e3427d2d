using CalendarGrains.Calls;
using CalendarGrains.Sandbox.Vapi;
using CalendarGrains.Tests.Infrastructure;

namespace CalendarGrains.Tests.Calls;

/// <summary>Per-tenant concurrency: slots, arrival order, and Vapi's refusals putting calls back in line.</summary>
public sealed class CallConcurrencyTests(CallsHostFixture fixture) : IClassFixture<CallsHostFixture>
{
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;

    [Fact]
    public async Task LimitOfThree_TwentyCalls_NeverMoreThanThreeLive_AndTheyStartInSubmissionOrder()
    {
        fixture.Vapi.Use(EmulatorSettings.Fast with { InProgressDuration = TimeSpan.FromMilliseconds(250) });
        using var scenario = await CallScenario.StartAsync(fixture.Host, fixture.Vapi, concurrencyLimit: 3);
        using var queueLength = new MetricRecorder("calendargrains.calls.queue.length");
        using var live = new MetricRecorder("calendargrains.calls.live");

        var submitted = new List<string>();
        for (var i = 0; i < 20; i++)
        {
            submitted.Add((await scenario.PlaceAcceptedAsync(scenario.Body($"+1555010{i:D2}"), $"batch-{i}")).Id);
        }

        var calls = await Eventually.HoldsAsync(
            () => scenario.ListAsync("?limit=50"),
            page => page.Data.Count == 20 && page.Data.All(call => call.Status == CallStatus.Ended),
            TimeSpan.FromSeconds(60),
            "all 20 calls ended");
        Assert.All(calls.Data, call => Assert.Equal("customer-ended-call", call.EndedReason));
        Assert.InRange(fixture.Vapi.FindAccount(scenario.OrgId)!.MaxLiveCalls, 2, 3);
        var started = scenario.CreatedCalls();
        Assert.Equal(submitted, started.Select(CallScenario.OurCallId));
        Assert.All(started, call => Assert.Equal("customer-ended-call", call.EndedReason));

        // The per-tenant gauges saw the line grow and drain, and never more than three slots in use.
        var lengths = queueLength.Where("tenant", scenario.Tenant.Id);
        Assert.True(lengths.Max() >= 5, $"the line grew: max {lengths.Max()}");
        Assert.Equal(0, lengths[^1]);
        Assert.InRange(live.Where("tenant", scenario.Tenant.Id).Max(), 1, 3);
    }

    [Fact]
    public async Task RateLimited_PutsTheCallBackInLine_NotIntoFailed()
    {
        fixture.Vapi.Use(EmulatorSettings.Manual);
        using var scenario = await CallScenario.StartAsync(fixture.Host, fixture.Vapi);
        fixture.Vapi.FailNextCreateCalls(1, 429, retryAfter: TimeSpan.FromSeconds(1));

        var accepted = await scenario.PlaceAcceptedAsync();

        var queued = await scenario.WaitForStatusAsync(accepted.Id, CallStatus.Queued);
        Assert.Equal(
            [CallStatus.Pending, CallStatus.Dispatching, CallStatus.Pending, CallStatus.Dispatching, CallStatus.Queued],
            queued.StatusHistory.Select(change => change.Status));
        var refusedAt = queued.StatusHistory[2].At;
        var retriedAt = queued.StatusHistory[3].At;
        Assert.True(retriedAt - refusedAt >= TimeSpan.FromSeconds(0.9), $"Retry-After honoured: {retriedAt - refusedAt}");
        Assert.Null(queued.LastError);
        Assert.Single(scenario.CreatedCalls());
    }

    [Fact]
    public async Task VapiOutOfSlots_TheBlockedCallWaitsInLine_AndStartsWhenASlotFrees()
    {
        // Our limit says 3, but the Vapi account has one slot (another system uses the rest).
        fixture.Vapi.Use(EmulatorSettings.Manual);
        using var scenario = await CallScenario.StartAsync(fixture.Host, fixture.Vapi, concurrencyLimit: 3);
        scenario.SetVapiAccountLimit(1);
        var first = await scenario.PlaceAcceptedAsync(scenario.Body("+15550100"));
        var firstQueued = await scenario.WaitForStatusAsync(first.Id, CallStatus.Queued);

        var second = await scenario.PlaceAcceptedAsync(scenario.Body("+15550101"));

        // Vapi creates it and ends it at once (concurrency limit reached): back to pending, never failed.
        await Eventually.HoldsAsync(
            () => scenario.GetAsync(second.Id),
            call => call.StatusHistory.Count(change => change.Status == CallStatus.Dispatching) >= 2,
            TimeSpan.FromSeconds(20),
            "refused at least twice");
        var waiting = await scenario.GetAsync(second.Id);
        Assert.Contains(waiting.Status, new[] { CallStatus.Pending, CallStatus.Dispatching });
        Assert.DoesNotContain(waiting.StatusHistory, change => change.Status == CallStatus.Failed);

        await fixture.Vapi.CompleteAsync(firstQueued.VapiCallId!, VapiCallOutcome.Completed, _ct);
        var started = await scenario.WaitForStatusAsync(second.Id, CallStatus.Queued);
        Assert.Null(started.LastError);
        await scenario.WaitForStatusAsync(first.Id, CallStatus.Ended);
        var dialled = scenario.DialledCalls().Where(call => CallScenario.OurCallId(call) == second.Id).ToList();
        Assert.Equal(started.VapiCallId, Assert.Single(dialled).CallId);
        Assert.True(scenario.CreatedCalls().Count > 2, "the blocked attempts were created and ended by Vapi");
    }

    [Fact]
    public async Task LegacyOverConcurrencyError_PutsTheCallBackInLine_NotIntoFailed()
    {
        fixture.Vapi.Use(EmulatorSettings.Manual with { LegacyConcurrencyError = true });
        using var scenario = await CallScenario.StartAsync(fixture.Host, fixture.Vapi, concurrencyLimit: 3);
        scenario.SetVapiAccountLimit(1);
        var first = await scenario.PlaceAcceptedAsync(scenario.Body("+15550100"));
        var firstQueued = await scenario.WaitForStatusAsync(first.Id, CallStatus.Queued);
        var second = await scenario.PlaceAcceptedAsync(scenario.Body("+15550101"));
        await scenario.WaitForAsync(second.Id, call => call.LastError?.Code == "vapi_concurrency_limit", "refused with 400 Over Concurrency Limit");

        await fixture.Vapi.CompleteAsync(firstQueued.VapiCallId!, VapiCallOutcome.Completed, _ct);

        var started = await scenario.WaitForStatusAsync(second.Id, CallStatus.Queued);
        Assert.DoesNotContain(started.StatusHistory, change => change.Status == CallStatus.Failed);
        Assert.Equal(2, scenario.CreatedCalls().Count);
    }
}
