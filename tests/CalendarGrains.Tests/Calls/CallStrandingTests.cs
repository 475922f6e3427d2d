using System.Collections.Concurrent;
using System.Net;
using CalendarGrains.Calls;
using CalendarGrains.Sandbox.Vapi;
using CalendarGrains.Tests.Infrastructure;
using CalendarGrains.Vapi;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Core.Internal;

namespace CalendarGrains.Tests.Calls;

/// <summary>
/// A pending call is always in its tenant's line or on its way to Vapi, whatever write fails or
/// whichever activation dies between two steps. Each test injects one fault at one step (a
/// storage write or index change that times out, an activation lost) and asserts that the call
/// still reaches Vapi, once.
/// </summary>
/// <remarks>
/// Note: the calls' watch reminders tick once an hour here, so nothing is repaired by a periodic
/// re-enqueue: a reminder registered while the cluster's membership changes may not tick for
/// minutes (Orleans loads it on the new owner's next full refresh of its range), and a call that
/// holds its place does not re-assert it on every tick. Recovery must come from the queue and
/// from the call's own reaction to the failure.
/// </remarks>
public sealed class CallStrandingTests(CallStrandingTests.Fixture fixture) : IClassFixture<CallStrandingTests.Fixture>
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Create_QueueUnreachable_TheRetriedRequestsCallReachesVapiOnce()
    {
        using var scenario = await StartAsync();
        fixture.Faults.FailNextIndexChange(set => set == CallIndexSets.Waiting(scenario.Tenant.Id));

        var (failed, _) = await scenario.PlaceAsync(scenario.Body(), "unreachable-queue");
        Assert.True((int)failed.StatusCode >= 500, $"a 5xx for the failed request, not {failed.StatusCode}");
        var call = await PlaceAcceptedOrExistingAsync(scenario, "unreachable-queue");

        await AssertPlacedOnceAsync(scenario, call.Id);
    }

    [Fact]
    public async Task Create_CallStoredButItsWriteAnswerLost_TheCallReachesVapiOnce()
    {
        using var scenario = await StartAsync();
        fixture.Faults.FailNextWrite<CallState>(
            call => call.Definition?.TenantId == scenario.Tenant.Id && call.Status == CallStatus.Pending && call.History.Count == 1,
            afterWriting: true);

        var (failed, _) = await scenario.PlaceAsync(scenario.Body(), "answer-lost");
        Assert.True((int)failed.StatusCode >= 500, $"a 5xx for the failed request, not {failed.StatusCode}");
        var call = await PlaceAcceptedOrExistingAsync(scenario, "answer-lost");

        await AssertPlacedOnceAsync(scenario, call.Id);
    }

    [Fact]
    public async Task Enqueue_QueueStateWriteFails_TheRetriedRequestsCallReachesVapiOnce()
    {
        using var scenario = await StartAsync();
        // Note: only this test's queue grants a slot meanwhile (the other tests' calls stay where they are).
        fixture.Faults.FailNextWrite<CallQueueState>(queue => queue.Live.Values.Any(slot => !slot.Dispatched));

        var (failed, _) = await scenario.PlaceAsync(scenario.Body(), "queue-write");
        Assert.True((int)failed.StatusCode >= 500, $"a 5xx for the failed request, not {failed.StatusCode}");
        var call = await PlaceAcceptedOrExistingAsync(scenario, "queue-write");

        await AssertPlacedOnceAsync(scenario, call.Id);
    }

    [Fact]
    public async Task Grant_CallFailsToStoreItsDispatch_TheQueueGrantsAgainAndTheCallIsPlacedOnce()
    {
        using var scenario = await StartAsync();
        fixture.Faults.FailNextWrite<CallState>(call => call.Definition?.TenantId == scenario.Tenant.Id && call.Status == CallStatus.Dispatching);

        var call = await scenario.PlaceAcceptedAsync(idempotencyKey: "dispatch-write");

        await AssertPlacedOnceAsync(scenario, call.Id);
    }

    [Fact]
    public async Task Adopt_CutOffAfterStoringVapisCallId_TheCallMovesOnFromDispatching()
    {
        using var scenario = await StartAsync();
        fixture.Faults.FailNextWrite<CallState>(
            call => call.Definition?.TenantId == scenario.Tenant.Id && call.Status == CallStatus.Dispatching && call.VapiCallId is not null,
            afterWriting: true);

        var call = await scenario.PlaceAcceptedAsync(idempotencyKey: "adopt-cut-off");

        await AssertPlacedOnceAsync(scenario, call.Id);
    }

    [Fact]
    public async Task Grant_LostOnItsWay_TheQueueGrantsAgainAndTheCallIsPlacedOnce()
    {
        using var scenario = await StartAsync();
        fixture.Grants.DropNextFor(scenario.Tenant.Id);

        var call = await scenario.PlaceAcceptedAsync(idempotencyKey: "grant-lost");

        await AssertPlacedOnceAsync(scenario, call.Id);
        Assert.Equal(0, fixture.Grants.Armed);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Refused_RequeueLostWithTheQueuesActivation_TheCallGoesBackInLineAndIsPlacedAgain(bool callsActivationLostToo)
    {
        using var scenario = await StartAsync();
        var call = await scenario.PlaceAcceptedAsync(idempotencyKey: "requeue-lost");
        var queued = await scenario.WaitForStatusAsync(call.Id, CallStatus.Queued, Deadline);

        // Vapi says the call never started (its concurrency limit): back in line. The queue's
        // write of that fails, and then its activation is lost.
        fixture.Faults.FailNextWrite<CallQueueState>(queue => queue.Live.Count == 0);
        var fired = fixture.Faults.Fired;
        var refusal = await scenario.PostEventAsync(CallScenario.StatusUpdate(queued.VapiCallId!, call.Id, "ended", VapiCallInfo.ConcurrencyLimitReason));
        Assert.Equal(HttpStatusCode.OK, refusal.StatusCode);
        await Eventually.HoldsAsync(() => Task.FromResult(fixture.Faults.Fired > fired), Deadline, "the requeue failed");
        await fixture.Host.Grains.GetGrain<ICallQueueGrain>(scenario.Tenant.Id).AsReference<IGrainManagementExtension>().DeactivateOnIdle(TestContext.Current.CancellationToken);
        if (callsActivationLostToo)
        {
            // As if the call's silo went too, with the retry it had planned: the next activation (the reads below) must see to it.
            await fixture.Host.Grains.GetGrain<ICallDispatchGrain>(call.Id).AsReference<IGrainManagementExtension>().DeactivateOnIdle(TestContext.Current.CancellationToken);
        }

        var again = await scenario.WaitForAsync(call.Id, c => c.Status == CallStatus.Queued && c.VapiCallId != queued.VapiCallId, "placed again", Deadline);
        var attempts = scenario.CreatedCalls().Where(c => CallScenario.OurCallId(c) == call.Id).ToList();
        Assert.Equal([queued.VapiCallId, again.VapiCallId], attempts.Select(c => c.CallId));
    }

    private async Task<CallScenario> StartAsync()
    {
        fixture.Vapi.Use(EmulatorSettings.Manual);
        return await CallScenario.StartAsync(fixture.Host, fixture.Vapi);
    }

    private async Task AssertPlacedOnceAsync(CallScenario scenario, string callId)
    {
        var queued = await scenario.WaitForStatusAsync(callId, CallStatus.Queued, Deadline);
        Assert.Equal(0, fixture.Faults.Armed);
        var created = Assert.Single(scenario.CreatedCalls(), c => CallScenario.OurCallId(c) == callId);
        Assert.Equal(queued.VapiCallId, created.CallId);
    }

    /// <summary>The retry of a failed request: 202 if the first left nothing behind, 200 if it did.</summary>
    private static async Task<CallResource> PlaceAcceptedOrExistingAsync(CallScenario scenario, string idempotencyKey)
    {
        var (response, call) = await scenario.PlaceAsync(scenario.Body(), idempotencyKey);
        Assert.Contains(response.StatusCode, new[] { HttpStatusCode.Accepted, HttpStatusCode.OK });
        return call!;
    }

    /// <summary>Drops a slot grant on its way to a call, as a message to a silo that is going away would be.</summary>
    public sealed class GrantDropper : IIncomingGrainCallFilter
    {
        private readonly ConcurrentDictionary<string, bool> _tenants = new(StringComparer.Ordinal);

        public int Armed => _tenants.Count;

        public void DropNextFor(string tenantId) => _tenants[tenantId] = true;

        public Task Invoke(IIncomingGrainCallContext context) =>
            context.MethodName == nameof(ICallDispatchGrain.SlotGrantedAsync) && context.Request.GetArgument(0) is string tenantId && _tenants.TryRemove(tenantId, out _)
                ? Task.CompletedTask
                : context.Invoke();
    }

    /// <summary>A sandbox service with injectable storage faults, call timings at test scale, and watches that do not tick.</summary>
    public sealed class Fixture : IAsyncLifetime
    {
        public StorageFaults Faults { get; } = new();

        public GrantDropper Grants { get; } = new();

        public ServiceHost Host { get; private set; } = null!;

        public VapiEmulator Vapi => Host.Services.GetRequiredService<VapiEmulator>();

        public async ValueTask InitializeAsync()
        {
            var settings = CallsHostFixture.FastCalls();
            settings["Calls:WatchInterval"] = "01:00:00";
            Host = await ServiceHost.StartAsync(settings, builder =>
            {
                Faults.Install(builder);
                builder.Services.AddSingleton<IIncomingGrainCallFilter>(Grants);
            });
        }

        public async ValueTask DisposeAsync() => await Host.DisposeAsync();
    }
}
