using System.Collections.Concurrent;
using CalendarGrains.Calls;
using CalendarGrains.Sandbox.Vapi;
using CalendarGrains.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace CalendarGrains.Tests.Calls;

/// <summary>
/// The tenant's queue keeps its line; calls waiting in it do not each call it on every watch tick
/// (with N calls waiting that made the queue a hot coordinator: N calls per watch period).
/// </summary>
public sealed class CallQueueLoadTests
{
    [Fact]
    public async Task WaitingCalls_WatchTicks_DoNotCallTheQueue()
    {
        var counter = new GrainCallCounter();
        await using var host = await ServiceHost.StartAsync(CallsHostFixture.FastCalls(), builder =>
        {
            CallsHostFixture.FastReminders(builder);
            builder.Services.AddSingleton<IIncomingGrainCallFilter>(counter);
        });
        var vapi = host.Services.GetRequiredService<VapiEmulator>();
        vapi.Use(EmulatorSettings.Manual);
        using var scenario = await CallScenario.StartAsync(host, vapi, concurrencyLimit: 1);
        var first = await scenario.PlaceAcceptedAsync(scenario.Body("+15550100"));
        await scenario.WaitForStatusAsync(first.Id, CallStatus.Queued);
        for (var i = 1; i <= 3; i++)
        {
            await scenario.PlaceAcceptedAsync(scenario.Body($"+1555010{i}"));
        }

        var queue = host.Grains.GetGrain<ICallQueueGrain>(scenario.Tenant.Id);
        await Eventually.HoldsAsync(queue.GetStatusAsync, status => status.Waiting == 3, because: "three calls wait");
        var enqueues = counter.Count(nameof(CallQueueGrain), nameof(ICallQueueGrain.EnqueueAsync));
        var ticks = counter.Count(nameof(CallDispatchGrain), nameof(IRemindable.ReceiveReminder));

        // Every call's watch ticks (once a second here) a few times over.
        await Eventually.HoldsAsync(
            () => Task.FromResult(counter.Count(nameof(CallDispatchGrain), nameof(IRemindable.ReceiveReminder)) - ticks >= 12),
            TimeSpan.FromSeconds(30),
            "a dozen watch ticks of the calls");

        Assert.Equal(enqueues, counter.Count(nameof(CallQueueGrain), nameof(ICallQueueGrain.EnqueueAsync)));
        Assert.Equal(3, (await queue.GetStatusAsync()).Waiting);
    }

    /// <summary>Counts the calls each grain class receives, by method (reminder ticks included).</summary>
    private sealed class GrainCallCounter : IIncomingGrainCallFilter
    {
        private readonly ConcurrentDictionary<(string Grain, string Method), int> _counts = new();

        public int Count(string grain, string method) => _counts.GetValueOrDefault((grain, method));

        public Task Invoke(IIncomingGrainCallContext context)
        {
            if (context.Grain is { } grain)
            {
                _counts.AddOrUpdate((grain.GetType().Name, context.MethodName), 1, (_, n) => n + 1);
            }

            return context.Invoke();
        }
    }
}
