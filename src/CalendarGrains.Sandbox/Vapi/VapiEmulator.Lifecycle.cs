using CalendarGrains.Sandbox.Vapi.Calls;
using CalendarGrains.Sandbox.Vapi.Lifecycle;
using CalendarGrains.Sandbox.Vapi.Webhooks;
using CalendarGrains.Sandbox.Vapi.Wire;

namespace CalendarGrains.Sandbox.Vapi;

public sealed partial class VapiEmulator
{
    /// <summary>
    /// Moves a call one step along its outcome (<c>scheduled → queued → ringing → in-progress → ended</c>,
    /// skipping what the outcome skips) and waits until the server messages of that step have been attempted.
    /// An ended call stays ended. Works in either lifecycle mode.
    /// </summary>
    /// <exception cref="KeyNotFoundException">No such call.</exception>
    public async Task<VapiCall> AdvanceAsync(string callId, CancellationToken cancellationToken = default)
    {
        VapiCall moved;
        List<Task> sends;
        lock (_gate)
        {
            var call = FindLocked(callId);
            sends = StepLocked(call, Now());
            moved = call.ToWire();
        }

        await Task.WhenAll(sends).WaitAsync(cancellationToken);
        return moved;
    }

    /// <summary>
    /// Ends a call now with <paramref name="outcome"/>, passing through the statuses of that outcome it has not
    /// reached yet, and waits until the server messages have been attempted.
    /// </summary>
    /// <exception cref="KeyNotFoundException">No such call.</exception>
    public async Task<VapiCall> CompleteAsync(string callId, VapiCallOutcome outcome, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        VapiCall ended;
        var sends = new List<Task>();
        lock (_gate)
        {
            var call = FindLocked(callId);
            if (!call.IsEnded)
            {
                call.Outcome = outcome;
            }

            var now = Now();
            while (!call.IsEnded)
            {
                sends.AddRange(StepLocked(call, now));
            }

            ended = call.ToWire();
        }

        await Task.WhenAll(sends).WaitAsync(cancellationToken);
        return ended;
    }

    /// <summary>Waits until every server message queued so far has been attempted (out-of-order mode: except one held back).</summary>
    public Task FlushWebhooksAsync(CancellationToken cancellationToken = default)
    {
        Task[] tails;
        lock (_gate)
        {
            tails = [.. _calls.All.Select(call => call.DeliveryTail)];
        }

        return Task.WhenAll(tails).WaitAsync(cancellationToken);
    }

    private EmulatedCall FindLocked(string callId) =>
        _calls.Find(callId) ?? throw new KeyNotFoundException($"The Vapi emulator has no call {callId}.");

    /// <summary>One step of the call's path; answers the server-message sends it started.</summary>
    private List<Task> StepLocked(EmulatedCall call, DateTimeOffset now)
    {
        var sends = new List<Task>();
        switch (call.Status)
        {
            case CallStatuses.Scheduled when call.Account.LiveCalls >= call.Account.ConcurrencyLimit:
                sends.AddRange(EndBlockedLocked(call, now));
                break;
            case CallStatuses.Scheduled:
                sends.AddRange(MoveLocked(call, CallStatuses.Queued, now));
                break;
            case CallStatuses.Queued:
                sends.AddRange(MoveLocked(call, call.Outcome.Rings ? CallStatuses.Ringing : CallStatuses.Ended, now));
                break;
            case CallStatuses.Ringing:
                sends.AddRange(MoveLocked(call, call.Outcome.Answers ? CallStatuses.InProgress : CallStatuses.Ended, now));
                break;
            case CallStatuses.InProgress or CallStatuses.Forwarding:
                sends.AddRange(MoveLocked(call, CallStatuses.Ended, now));
                break;
            default:
                return sends;
        }

        ScheduleNextStepLocked(call, now);
        return sends;
    }

    private List<Task> MoveLocked(EmulatedCall call, string status, DateTimeOffset now)
    {
        var from = call.Status;
        var wasLive = call.IsLive;
        call.Status = status;
        call.UpdatedAt = now;
        if (from == CallStatuses.Queued)
        {
            call.StartedAt ??= now;
        }

        switch (status)
        {
            case CallStatuses.Queued:
                CountStartedLocked(call.Account);
                break;
            case CallStatuses.InProgress:
                call.AnsweredAt = now;
                break;
            case CallStatuses.Ended:
                call.EndedAt = now;
                call.EndedReason = call.Outcome.EndedReason;
                call.Report = CallReport.For(call.AnsweredAt, now, call.EndedReason);
                if (wasLive)
                {
                    CountEndedLocked(call.Account);
                }

                break;
        }

        VapiEmulatorLog.CallMoved(_logger, call.Id, from, status, call.EndedReason);
        return AnnounceLocked(call, now);
    }

    /// <summary>The call never started: every concurrency slot was taken.</summary>
    private List<Task> EndBlockedLocked(EmulatedCall call, DateTimeOffset now)
    {
        var from = call.Status;
        call.Status = CallStatuses.Ended;
        call.UpdatedAt = now;
        call.EndedAt = now;
        call.EndedReason = ConcurrencyLimitReachedReason;
        call.Report = CallReport.For(answeredAt: null, now, ConcurrencyLimitReachedReason);
        call.CancelTimer();
        VapiEmulatorLog.CallMoved(_logger, call.Id, from, call.Status, call.EndedReason);
        return AnnounceLocked(call, now);
    }

    /// <summary>status-update for every change; after <c>ended</c>, the end-of-call-report.</summary>
    private List<Task> AnnounceLocked(EmulatedCall call, DateTimeOffset now)
    {
        var generation = _generation.Token;
        var sends = new List<Task>();
        sends.AddRange(_webhooks.Enqueue(
            call, ServerMessageFactory.StatusUpdate, ServerMessageFactory.StatusUpdateBody(call, now), lastOfCall: false, _settings, generation));
        if (call.IsEnded)
        {
            sends.AddRange(_webhooks.Enqueue(
                call, ServerMessageFactory.EndOfCallReport, ServerMessageFactory.EndOfCallReportBody(call, now), lastOfCall: true, _settings, generation));
        }

        return sends;
    }
}
