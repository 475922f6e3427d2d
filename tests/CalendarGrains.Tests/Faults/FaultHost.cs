using CalendarGrains.Sandbox;
using CalendarGrains.Sandbox.Google;
using CalendarGrains.Sandbox.Vapi;
using CalendarGrains.Tests.Calls;
using CalendarGrains.Tests.Cluster;
using CalendarGrains.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace CalendarGrains.Tests.Faults;

/// <summary>
/// The service with its list index and its grain storage behind fault switches, in sandbox mode
/// (memory) or Redis mode (then Google and Vapi are emulators in a host of their own, as in
/// production). Reminders and the call dispatcher run at test speed.
/// </summary>
public sealed class FaultHost : IAsyncDisposable
{
    private readonly WebApplication? _emulators;

    private FaultHost(ServiceHost host, WebApplication? emulators, FaultSwitch index, FaultSwitch storage, FaultSwitch outbox, string? serviceId)
    {
        Outbox = outbox;
        Host = host;
        ServiceId = serviceId;
        _emulators = emulators;
        Index = index;
        Storage = storage;
    }

    public ServiceHost Host { get; }

    /// <summary>The prefix of every Redis key of this service; null in sandbox mode.</summary>
    public string? ServiceId { get; }

    /// <summary>Fails writes to the list index (subject: the sets a write touches).</summary>
    public FaultSwitch Index { get; }

    /// <summary>Fails writes to grain storage (subject: <c>{stateName}/{grainId}</c>, e.g. <c>connection/</c>).</summary>
    public FaultSwitch Storage { get; }

    /// <summary>Fails writes to the webhook outboxes' store (subject: <c>{operation} {outbox key}</c>, e.g. <c>add ten_…</c>).</summary>
    public FaultSwitch Outbox { get; }

    public GoogleEmulator Google => (_emulators?.Services ?? Host.Services).GetRequiredService<GoogleEmulator>();

    public VapiEmulator Vapi => (_emulators?.Services ?? Host.Services).GetRequiredService<VapiEmulator>();

    public static async Task<FaultHost> StartAsync(RedisServer redis, bool inRedis)
    {
        var settings = CallsHostFixture.FastCalls();
        settings["Webhooks:ReminderPeriod"] = "00:00:01";
        WebApplication? emulators = null;
        if (inRedis)
        {
            (emulators, var emulatorUrl) = await EmulatorHost.StartOnFreePortAsync(TestContext.Current.CancellationToken);
            foreach (var (key, value) in ServiceHost.InRedisMode(redis))
            {
                settings[key] = value;
            }

            EmulatedProviders.PointAt(settings, emulatorUrl);
        }

        var index = new FaultSwitch();
        var storage = new FaultSwitch();
        var outbox = new FaultSwitch();
        var host = await ServiceHost.StartAsync(settings, builder =>
        {
            CallsHostFixture.FastReminders(builder);
            FaultyIndex.Install(builder, index);
            FaultyStorage.Install(builder, storage);
            FaultyWebhookStore.Install(builder, outbox);
        });
        return new FaultHost(host, emulators, index, storage, outbox, inRedis ? settings["Orleans:ServiceId"] : null);
    }

    public async ValueTask DisposeAsync()
    {
        await Host.DisposeAsync();
        if (_emulators is not null)
        {
            await _emulators.DisposeAsync();
        }
    }
}
