using CalendarGrains.Sandbox.Vapi.Accounts;
using CalendarGrains.Sandbox.Vapi.Calls;
using CalendarGrains.Sandbox.Vapi.Webhooks;

namespace CalendarGrains.Sandbox.Vapi;

/// <summary>
/// The state of the Vapi emulator (one per host) and the controls tests and the sandbox use on it.
/// All state sits behind one lock: the emulator serves a handful of requests, and one lock keeps the
/// concurrency count, the call states and the order of their server messages consistent.
/// </summary>
public sealed partial class VapiEmulator : IDisposable
{
    /// <summary>Past this many calls, the oldest ended ones are forgotten.</summary>
    private const int MaxStoredCalls = 5_000;

    private readonly Lock _gate = new();
    private readonly TimeProvider _time;
    private readonly IHttpClientFactory _httpClients;
    private readonly ILogger<VapiEmulator> _logger;
    private readonly WebhookDispatcher _webhooks;
    private readonly AccountBook _accounts = new();
    private readonly CallBook _calls = new(MaxStoredCalls);
    private readonly FaultPlan _faults = new();
    private readonly Dictionary<string, VapiCallOutcome> _outcomesByNumber = new(StringComparer.Ordinal);
    private VapiEmulatorSettings _settings = new();

    /// <summary>Cancelled by <see cref="Reset"/>: timers and messages of the forgotten calls stop.</summary>
    private CancellationTokenSource _generation = new();

    private long _createCallAttempts;
    private long _callsCreated;
    private int _liveCalls;
    private int _maxLiveCalls;

    public VapiEmulator(TimeProvider time, IHttpClientFactory httpClients, ILogger<VapiEmulator> logger)
    {
        _time = time;
        _httpClients = httpClients;
        _logger = logger;
        _webhooks = new WebhookDispatcher(httpClients, time, logger);
    }

    public VapiEmulatorSettings Settings
    {
        get
        {
            lock (_gate)
            {
                return _settings;
            }
        }
    }

    public VapiEmulatorCounters Counters
    {
        get
        {
            lock (_gate)
            {
                return new VapiEmulatorCounters(
                    Interlocked.Read(ref _createCallAttempts), _callsCreated, _liveCalls, _maxLiveCalls,
                    _webhooks.Delivered, _webhooks.Failed, _webhooks.Skipped);
            }
        }
    }

    /// <summary>Changes settings, e.g. <c>Configure(s =&gt; s with { Lifecycle = VapiLifecycleMode.Manual })</c>.</summary>
    /// <remarks>Switching the lifecycle mode applies to calls under way too: they stop, or start moving on their own.</remarks>
    public VapiEmulatorSettings Configure(Func<VapiEmulatorSettings, VapiEmulatorSettings> change)
    {
        ArgumentNullException.ThrowIfNull(change);
        lock (_gate)
        {
            var next = change(_settings);
            Validate(next);
            var modeChanged = next.Lifecycle != _settings.Lifecycle;
            _settings = next;
            if (modeChanged)
            {
                var now = Now();
                foreach (var call in _calls.All.Where(call => !call.IsEnded))
                {
                    call.Automatic = next.Lifecycle == VapiLifecycleMode.Automatic;
                    ScheduleNextStepLocked(call, now);
                }
            }

            return next;
        }
    }

    /// <summary>
    /// Forgets calls, counters, queued faults, the outcome map and settings. Registered accounts stay
    /// (a developer's Vapi org outlives a test), with their live-call counts back at zero.
    /// </summary>
    public void Reset()
    {
        lock (_gate)
        {
            StopEverythingLocked();
            _calls.Clear();
            _faults.Clear();
            _outcomesByNumber.Clear();
            _settings = new VapiEmulatorSettings();
            Interlocked.Exchange(ref _createCallAttempts, 0);
            _callsCreated = 0;
            _liveCalls = 0;
            _maxLiveCalls = 0;
            foreach (var account in _accounts.All)
            {
                account.LiveCalls = 0;
                account.MaxLiveCalls = 0;
            }

            _webhooks.Reset();
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            StopEverythingLocked();
        }

        _webhooks.Dispose();
    }

    private void StopEverythingLocked()
    {
        foreach (var call in _calls.All)
        {
            call.CancelTimer();
        }

        // Note: the old source is cancelled, not disposed: messages still in flight read its token.
        _generation.Cancel();
        _generation = new CancellationTokenSource();
    }

    private DateTimeOffset Now() => Timestamps.TruncateToMilliseconds(_time.GetUtcNow());

    private static void Validate(VapiEmulatorSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings.DefaultOutcome);
        foreach (var duration in (TimeSpan[])[settings.QueuedDuration, settings.RingingDuration, settings.InProgressDuration, settings.VisibilityDelay])
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(duration, TimeSpan.Zero);
        }
    }
}
