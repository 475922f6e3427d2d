using CalendarGrains.Common;
using CalendarGrains.Connections;
using CalendarGrains.Security;
using CalendarGrains.Telemetry;
using CalendarGrains.Vapi;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using CalendarGrains.Webhooks;
using Orleans.Storage;

namespace CalendarGrains.Calls;

/// <inheritdoc cref="ICallDispatchGrain"/>
/// <remarks>
/// <para>
/// The state machine: <c>pending</c> (waiting for its time, then for a slot) → <c>dispatching</c>
/// → <c>queued</c> → <c>ringing</c> → <c>in-progress</c> → (<c>forwarding</c>) → <c>ended</c>; or
/// <c>failed</c>, or <c>canceled</c> while pending. Only a refusal by Vapi (429, concurrency
/// limit: nobody was dialled) moves a call back, from dispatching to pending, to its place in line.
/// </para>
/// <para>
/// Exactly once toward the customer: before every <c>POST /call</c> the grain stores that it is
/// about to send (<see cref="CallState.Unconfirmed"/>), and the request carries our call id in
/// <c>assistantOverrides.metadata</c>. When the outcome is unknown (timeout, reset connection,
/// 5xx, or this process died mid-request) nothing is sent again until Vapi's recent calls have
/// been searched for that id, and searched again until <see cref="CallOptions.VisibilityGrace"/>
/// has passed (a new call may not be listed at once). A server message naming our id ends the
/// search too. Only when Vapi has no such call is the request sent again.
/// </para>
/// <para>
/// Concurrency: the grain is not reentrant, so a dispatch (bounded by
/// <see cref="CallOptions.DispatchTimeout"/>) and the messages about it are applied one at a time;
/// reads (<see cref="GetAsync"/>) interleave and never wait behind Vapi. One reminder per call
/// (<c>call-watch</c>) carries everything that must survive a restart: the scheduled start, the
/// reconciliation of an interrupted dispatch, polling a live call Vapi has gone quiet about, and
/// handing back the slot; it is removed once the call is over and settled. Each turn's Vapi
/// requests share one deadline (<see cref="GrainOptions.OperationBudget"/>), below Orleans'
/// response timeout; a reconciliation reads one page of Vapi's calls per turn.
/// </para>
/// <para>
/// Nothing lost between the call's state, its list index and its webhooks: every status change is
/// stored with the webhook it owes (<see cref="CallState.OwedWebhooks"/>, one write), then the index
/// is made to match (an idempotent "ensure") and the webhook handed to the tenant's outbox. The
/// watch stays until both are done, and activation repeats them.
/// </para>
/// </remarks>
public sealed partial class CallDispatchGrain(
    [PersistentState("call", StorageNames.State)] IPersistentState<CallState> state,
    VapiClient vapi,
    ISecretProtector protector,
    CallIndex index,
    CallMetrics metrics,
    IOptions<CallOptions> options,
    IOptions<ReminderOptions> reminderOptions,
    IOptions<GrainOptions> grainOptions,
    [FromKeyedServices(ServiceTime.Key)] TimeProvider time,
    ILogger<CallDispatchGrain> logger) : Grain, ICallDispatchGrain, IRemindable
{
    private string Id => this.GetPrimaryKeyString();

    private CallState S => state.State;

    private CallDefinition D => S.Definition!;

    private bool Exists => S.Definition is not null;

    private CallOptions O => options.Value;

    private ICallQueueGrain Queue => GrainFactory.GetGrain<ICallQueueGrain>(D.TenantId);

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (Exists && !CallStatuses.IsFinal(S.Status) && await this.GetReminder(WatchReminder, cancellationToken) is null)
        {
            // A live call without its watch (an older version, or a silo lost at the worst moment)
            // would wait for ever: whoever touches it puts the watch back.
            await ArmWatchAsync();
        }

        if (Exists && S.Status == CallStatus.Pending && (S.QueueTicket is not null || S.HoldsSlot))
        {
            // Once per activation a waiting call asserts its place: a refusal stored here may not
            // have reached the queue before the last activation was lost.
            ArmLineTimer(TimeSpan.Zero);
        }

        if (Exists && S.Status == CallStatus.Dispatching)
        {
            // No turn runs yet, so a dispatch stored as under way was cut off (a crash, a lost
            // silo): the request's outcome is unknown, or Vapi's answer was stored and not yet
            // applied. Reconcile soon; the watch reminder is the backstop.
            S.Unconfirmed = S.VapiCallId is null;
            ArmNextStep(O.ReconcileDelay, ReconcileAsync);
        }
        else if (Exists && S.Status == CallStatus.Ended && !S.EndedAnnounced)
        {
            ArmReportTimer(O.EndOfCallReportWait);
        }

        if (Exists)
        {
            // Repair what a lost silo or a failed write may have left (the index, owed webhooks) in a
            // turn of its own, so the request that activated the grain does not wait for it.
            this.RegisterGrainTimer(
                static (self, _) => self.CatchUpAsync(),
                this,
                new GrainTimerCreationOptions(TimeSpan.Zero, Timeout.InfiniteTimeSpan) { Interleave = false, KeepAlive = false });
        }
    }

    public async Task<CallCreation> CreateAsync(CallDefinition definition)
    {
        if (Exists)
        {
            if (!string.Equals(D.TenantId, definition.TenantId, StringComparison.Ordinal))
            {
                throw new InvalidOperationException($"Call {Id} belongs to another tenant.");
            }

            // A retry after a failed index write (or a lost silo) lists the call before answering.
            await SyncIndexAsync(throwOnFailure: true);
            return new CallCreation(CallCreationOutcome.Existing, View());
        }

        var connection = await GrainFactory.Connection(definition.TenantId, definition.ConnectionId).GetAsync(definition.TenantId);
        if (connection is null || connection.Status == ConnectionStatus.Revoked)
        {
            return new CallCreation(CallCreationOutcome.ConnectionNotFound, null);
        }

        if (connection.Status == ConnectionStatus.NeedsReauth)
        {
            return new CallCreation(CallCreationOutcome.ConnectionNeedsReauth, null);
        }

        var now = time.GetUtcNow();
        var scheduled = definition.ScheduledAt is { } at && at > now;
        S.Definition = definition;
        S.Status = CallStatus.Pending;
        S.History = [new CallStatusChange(CallStatus.Pending, now)];
        S.CreatedAt = now;
        S.UpdatedAt = now;
        S.EligibleAt = scheduled ? definition.ScheduledAt : now;

        // Note: the watch, and the call's place in line, before the call is stored. A call stored
        // pending is then in line by construction: its creation needs no later step that a lost
        // silo or an unreachable queue could skip, and no reminder tick (a reminder registered while
        // the cluster's membership changes may stay silent for minutes). A line entry whose call was
        // never stored is given back when its slot comes; a reminder for it unregisters itself.
        try
        {
            if (scheduled)
            {
                await ArmScheduleCheckAsync(now);
            }
            else
            {
                await ArmWatchAsync();
                S.QueueTicket = await Queue.EnqueueAsync(Id, null);
            }
        }
        catch (Exception)
        {
            // Nothing was stored: the call does not exist yet, and the next call must not find this
            // half-made call in memory.
            state.State = new CallState();
            DeactivateOnIdle();
            throw;
        }

        // Note: an index that cannot be written fails the request, so a caller is never told
        // "accepted" about a call the list does not show; its retry (or the watch) lists it.
        await WriteAsync();
        _lineConfirmedAt = scheduled ? null : now;
        await SyncIndexAsync(throwOnFailure: true);
        metrics.StatusChanged(CallStatus.Pending);
        LogAccepted(logger, Id, definition.TenantId, definition.ScheduledAt);
        return new CallCreation(CallCreationOutcome.Created, View());
    }

    public Task<CallView?> GetAsync(string tenantId) => Task.FromResult(VisibleTo(tenantId) ? View() : null);

    public async Task<CancelResult> CancelAsync(string tenantId)
    {
        if (!VisibleTo(tenantId))
        {
            return new CancelResult(CancelOutcome.NotFound, null);
        }

        if (S.Status == CallStatus.Canceled)
        {
            return new CancelResult(CancelOutcome.Canceled, View());
        }

        if (S.Status != CallStatus.Pending)
        {
            return new CancelResult(CancelOutcome.NotCancelable, View());
        }

        await TransitionAsync(CallStatus.Canceled, "canceled_by_tenant");
        await SettleAsync();
        return new CancelResult(CancelOutcome.Canceled, View());
    }

    /// <summary>Puts the call in its tenant's line (again: the queue makes it idempotent) and keeps its ticket.</summary>
    private async Task EnqueueAsync()
    {
        var ticket = await Queue.EnqueueAsync(Id, S.QueueTicket);
        if (S.QueueTicket != ticket)
        {
            S.QueueTicket = ticket;
            await WriteAsync();
        }

        _lineConfirmedAt = time.GetUtcNow();
    }

    /// <summary>
    /// Moves the call to <paramref name="to"/>: its history and the webhook it owes are stored in one
    /// write, then the index is made to match and the webhook handed over.
    /// </summary>
    /// <param name="to">The new status.</param>
    /// <param name="reason">Why, when there is a why (an error code, Vapi's ended reason): kept in the history.</param>
    private async Task TransitionAsync(CallStatus to, string? reason = null)
    {
        var from = S.Status;
        var now = time.GetUtcNow();
        S.Status = to;
        S.UpdatedAt = now;
        S.History.Add(new CallStatusChange(to, now, reason));
        if (S.History.Count > CallState.MaxHistory)
        {
            S.History.RemoveRange(0, S.History.Count - CallState.MaxHistory);
        }

        Owe(WebhookEventTypes.CallStatusChanged, now);
        await WriteAsync();
        metrics.StatusChanged(to);
        LogTransition(logger, Id, from, to);
        await CatchUpAsync();
    }

    /// <summary>A final call gives back its slot or its place in line; on failure the watch reminder tries again.</summary>
    private async Task SettleAsync()
    {
        if (S.HoldsSlot || S.QueueTicket is not null)
        {
            try
            {
                await Queue.ReleaseAsync(Id, S.QueueTicket);
                S.HoldsSlot = false;
                S.QueueTicket = null;
                await WriteAsync();
            }
            catch (Exception e) when (e is not InconsistentStateException)
            {
                LogReleaseFailed(logger, e, Id);
                ArmLineTimer(LineRetryDelay);
                return;
            }
        }

        await DisarmWatchIfSettledAsync();
    }

    private bool VisibleTo(string tenantId) => Exists && string.Equals(D.TenantId, tenantId, StringComparison.Ordinal);

    private CallView View() => new(
        Id, D.TenantId, D.ConnectionId, S.Status, S.VapiCallId, D.Customer, D.AssistantId, D.PhoneNumberId, D.ScheduledAt,
        S.EndedReason, S.Cost, [.. S.History], S.CreatedAt, S.UpdatedAt, S.StartedAt, S.EndedAt, D.MetadataJson, S.LastError);
}
