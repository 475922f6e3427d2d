using CalendarGrains.Common;
using CalendarGrains.Indexing;
using CalendarGrains.Telemetry;
using CalendarGrains.Tenants;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CalendarGrains.Calls;

/// <inheritdoc cref="ICallQueueGrain"/>
/// <remarks>
/// A slot is granted to the call at the head of the line when fewer than the tenant's
/// <c>concurrencyLimit</c> calls hold one, fewer than <see cref="CallOptions.MaxDispatchesInFlightPerTenant"/>
/// are still being sent, and no refusal hold is running. A call keeps its slot until it ends.
/// Grants go out one way (see <see cref="ICallQueueGrain"/>), so a lost grant is sent again: by
/// this grain, for slots granted longer than <see cref="CallOptions.DispatchTimeout"/> ago and never
/// reported dispatched (a timer while the activation lives, its watch reminder after), and whenever
/// the call asserts its place again.
/// <para>
/// The line is kept here, durably (waiting calls in the index, slots in state), so a waiting call
/// need not keep asserting its place. What is stored is the truth: a write that fails ends the
/// activation (see <see cref="WriteAsync"/>), and every change is ordered so that a crash between
/// its two stores leaves a call listed twice (dropped when found), never not at all.
/// </para>
/// </remarks>
public sealed partial class CallQueueGrain(
    [PersistentState("callqueue", StorageNames.State)] IPersistentState<CallQueueState> state,
    IOrderedIndex index,
    IOptions<CallOptions> options,
    IOptions<ReminderOptions> reminderOptions,
    CallMetrics metrics,
    [FromKeyedServices(ServiceTime.Key)] TimeProvider time,
    ILogger<CallQueueGrain> logger) : Grain, ICallQueueGrain, IRemindable
{
    private const string WatchReminder = "call-queue-watch";

    /// <summary>The tenant's limit is read from the tenant grain at most this often.</summary>
    private static readonly TimeSpan LimitCacheFor = TimeSpan.FromSeconds(30);

    private int _limit;
    private DateTimeOffset _limitReadAt = DateTimeOffset.MinValue;
    private IGrainTimer? _holdTimer;
    private IGrainTimer? _grantTimer;
    private bool? _watchArmed;

    private string TenantId => this.GetPrimaryKeyString();

    private CallQueueState S => state.State;

    private string WaitingSet => CallIndexSets.Waiting(TenantId);

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (S.Live.Values.Any(slot => !slot.Dispatched))
        {
            ArmGrantTimer(); // Grants of an activation that is gone may have been lost with it.
        }

        return Task.CompletedTask;
    }

    public async Task<long> EnqueueAsync(string callId, long? ticket)
    {
        if (S.Live.TryGetValue(callId, out var slot))
        {
            if (!slot.Dispatched)
            {
                await GrantAsync(callId); // It asks again: the first grant may have been lost.
                return slot.Ticket;
            }

            // A call asks only while it waits, so the slot it was dispatched with is free again: its
            // refusal by Vapi reached the call but not this queue (a failure, a lost activation).
            // Back to its place in line, or it would wait for ever and hold the slot.
            S.Live.Remove(callId);
            await WriteAsync();
            ticket = slot.Ticket;
        }

        if (ticket is not { } known)
        {
            known = ++S.Sequence;
            await WriteAsync();
        }

        await index.AddAsync(WaitingSet, CallIndexSets.WaitingMember(known, callId));
        await PumpAsync();
        return known;
    }

    public async Task DispatchedAsync(string callId)
    {
        if (S.Live.TryGetValue(callId, out var slot) && !slot.Dispatched)
        {
            S.Live[callId] = slot with { Dispatched = true };
            await WriteAsync();
        }

        await PumpAsync();
    }

    public async Task RequeueAsync(string callId, long ticket, TimeSpan holdFor)
    {
        var until = time.GetUtcNow() + holdFor;
        S.Live.Remove(callId);
        S.HoldUntil = S.HoldUntil is { } current && current > until ? current : until;
        await WriteAsync();
        await index.AddAsync(WaitingSet, CallIndexSets.WaitingMember(ticket, callId));
        LogHeld(logger, TenantId, callId, holdFor);
        await PumpAsync();
    }

    public async Task ReleaseAsync(string callId, long? ticket)
    {
        if (S.Live.Remove(callId))
        {
            await WriteAsync();
        }

        if (ticket is { } known)
        {
            await index.RemoveAsync(WaitingSet, CallIndexSets.WaitingMember(known, callId));
        }

        await PumpAsync();
    }

    public async Task<CallQueueStatus> GetStatusAsync() =>
        new(await index.CountAsync(WaitingSet), S.Live.Count, _limit, S.HoldUntil);

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        await RegrantStaleAsync();
        await PumpAsync();
    }

    /// <summary>Grants never reported dispatched within a whole <c>POST /call</c> were probably lost: sends them again.</summary>
    /// <remarks>
    /// Note: harmless when the grant was not lost. A call that is still sending gets the repeat after
    /// its turn and answers that it has been dispatched.
    /// </remarks>
    private async Task RegrantStaleAsync()
    {
        var stale = time.GetUtcNow() - options.Value.DispatchTimeout;
        foreach (var (callId, _) in S.Live.Where(pair => !pair.Value.Dispatched && pair.Value.GrantedAt <= stale).ToList())
        {
            await GrantAsync(callId);
        }

        if (_grantTimer is not null && !S.Live.Values.Any(slot => !slot.Dispatched))
        {
            _grantTimer.Dispose();
            _grantTimer = null;
        }
    }

    /// <summary>
    /// Stores the state. A write that fails may or may not have landed, so this activation no longer
    /// knows what is stored: it ends, and the next one reads it. Acting on state ahead of storage
    /// would take a call out of line here and lose it with the activation.
    /// </summary>
    private async Task WriteAsync()
    {
        try
        {
            await state.WriteStateAsync();
        }
        catch
        {
            DeactivateOnIdle();
            throw;
        }
    }

    /// <summary>Hands out every slot the rules allow, in ticket order.</summary>
    private async Task PumpAsync()
    {
        var now = time.GetUtcNow();
        if (S.HoldUntil is { } hold && hold > now)
        {
            ArmHoldTimer(hold - now);
        }
        else
        {
            var limit = await LimitAsync(now);
            while (S.Live.Count < limit && S.Live.Values.Count(slot => !slot.Dispatched) < options.Value.MaxDispatchesInFlightPerTenant)
            {
                var heads = await index.PageAsync(WaitingSet, null, 1);
                if (heads.Count == 0)
                {
                    break;
                }

                var head = heads[0];
                if (CallIndexSets.TryParseWaitingMember(head, out var ticket, out var callId) && !S.Live.ContainsKey(callId))
                {
                    // Stored before it leaves the line: a crash in between leaves a duplicate entry, which is dropped below.
                    S.Live[callId] = new QueueSlot(ticket, now, Dispatched: false);
                    await WriteAsync();
                    await index.RemoveAsync(WaitingSet, head);
                    await GrantAsync(callId);
                    ArmGrantTimer();
                }
                else
                {
                    await index.RemoveAsync(WaitingSet, head);
                }
            }
        }

        await PublishAsync();
    }

    private Task GrantAsync(string callId)
    {
        LogGranted(logger, TenantId, callId);

        // Note: one way. The queue must never await a call grain (see ICallQueueGrain).
        return GrainFactory.GetGrain<ICallDispatchGrain>(callId).SlotGrantedAsync(TenantId);
    }

    private async Task<int> LimitAsync(DateTimeOffset now)
    {
        if (now - _limitReadAt >= LimitCacheFor || _limit == 0)
        {
            var tenant = await GrainFactory.GetGrain<ITenantGrain>(TenantId).GetAsync();
            _limit = Math.Max(1, tenant?.Vapi.ConcurrencyLimit ?? TenantDefaults.VapiConcurrencyLimit);
            _limitReadAt = now;
        }

        return _limit;
    }

    /// <summary>While grants are out, checks for lost ones every <see cref="CallOptions.DispatchTimeout"/> (the reminder is the backstop).</summary>
    private void ArmGrantTimer() =>
        _grantTimer ??= this.RegisterGrainTimer(
            _ => RegrantStaleAsync(),
            new GrainTimerCreationOptions(options.Value.DispatchTimeout, options.Value.DispatchTimeout) { Interleave = false, KeepAlive = true });

    private void ArmHoldTimer(TimeSpan due)
    {
        _holdTimer?.Dispose();
        _holdTimer = this.RegisterGrainTimer(
            async _ =>
            {
                _holdTimer?.Dispose();
                _holdTimer = null;
                await PumpAsync();
            },
            new GrainTimerCreationOptions(due, Timeout.InfiniteTimeSpan) { Interleave = false, KeepAlive = true });
    }

    /// <summary>Reports the gauges, and keeps the watch reminder exactly while there is something to watch.</summary>
    private async Task PublishAsync()
    {
        var waiting = await index.CountAsync(WaitingSet);
        metrics.Queue(TenantId, waiting, S.Live.Count);
        var busy = waiting > 0 || S.Live.Count > 0;
        if (busy && _watchArmed != true)
        {
            // Note: registered only when missing. A reminder registered while the cluster's
            // membership changes can stay silent until its owner's next full refresh (minutes);
            // one that is already in the table is loaded by whichever silo owns it.
            if (await this.GetReminder(WatchReminder) is null)
            {
                var period = WatchPeriod.Of(options.Value, reminderOptions.Value);
                await this.RegisterOrUpdateReminder(WatchReminder, period, period);
            }

            _watchArmed = true;
        }
        else if (!busy && _watchArmed != false)
        {
            if (await this.GetReminder(WatchReminder) is { } reminder)
            {
                await this.UnregisterReminder(reminder);
            }

            _watchArmed = false;
        }
    }

    [LoggerMessage(EventId = 501, EventName = "CallSlotGranted", Level = LogLevel.Debug, Message = "Tenant {TenantId}: slot granted to call {CallId}")]
    private static partial void LogGranted(ILogger logger, string tenantId, string callId);

    [LoggerMessage(EventId = 502, EventName = "CallQueueHeld", Level = LogLevel.Information, Message = "Tenant {TenantId}: Vapi refused call {CallId} for now; the line waits {HoldFor}")]
    private static partial void LogHeld(ILogger logger, string tenantId, string callId, TimeSpan holdFor);
}
