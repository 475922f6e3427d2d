using CalendarGrains.Vapi;

namespace CalendarGrains.Calls;

public sealed partial class CallDispatchGrain
{
    private const string WatchReminder = "call-watch";

    /// <summary>Polls answering 404 long after creation before the call is given up as unknown to Vapi.</summary>
    private const int MaxConsecutiveNotFound = 3;

    /// <summary>The next step of an unconfirmed dispatch (a search page, a retry, sending again), each a turn of its own.</summary>
    private IGrainTimer? _nextStep;
    private IGrainTimer? _reportTimer;

    private TimeSpan Period => WatchPeriod.Of(O, reminderOptions.Value);

    /// <summary>The durable watch: whatever the call waits for, this tick makes it happen after a restart too.</summary>
    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (!Exists)
        {
            await UnregisterWatchAsync();
            return;
        }

        using var budget = grainOptions.Value.StartOperation();
        await CatchUpAsync();
        var now = time.GetUtcNow();
        switch (S.Status)
        {
            case var final when CallStatuses.IsFinal(final):
                await SettleAsync();
                if (S.Status == CallStatus.Ended && !S.EndedAnnounced)
                {
                    await FinishEndedAsync(budget.Token);
                }

                break;
            case CallStatus.Pending when D.ScheduledAt is { } at && S.QueueTicket is null && !S.HoldsSlot:
                if (at > now)
                {
                    LogNotDue(logger, Id, at - now);
                    await ArmScheduleCheckAsync(now);
                }
                else
                {
                    LogDue(logger, Id, now - at);
                    await ArmWatchAsync();
                    await EnqueueAsync();
                }

                break;
            case CallStatus.Pending when LineLeaseExpired(now):
                await EnqueueOrRetryAsync(); // Idempotent: the queue also grants again a slot whose grant was lost.
                break;
            case CallStatus.Pending:
                break; // In line: the queue keeps its place and sends again a grant that was lost.
            case CallStatus.Dispatching when _nextStep is null: // The backstop when no step is armed (e.g. after a restart).
                S.Unconfirmed = S.VapiCallId is null;
                await ReconcileAsync(budget.Token);
                break;
            case CallStatus.Dispatching:
                break;
            default:
                if (now - (S.LastVapiNewsAt ?? S.LastDispatchAt ?? now) >= O.PollAfterSilence)
                {
                    await PollAsync(budget.Token);
                }

                break;
        }
    }

    /// <summary>Vapi has been quiet about a live call: ask it (a 404 soon after creation only means "not visible yet").</summary>
    private async Task PollAsync(CancellationToken budget)
    {
        if (S.VapiCallId is not { } vapiCallId || await ApiKeyAsync() is not { } apiKey)
        {
            return;
        }

        LogPolling(logger, Id, vapiCallId);
        VapiReadResult read;
        try
        {
            read = await vapi.GetCallAsync(apiKey, vapiCallId, budget);
        }
        catch (OperationCanceledException) when (budget.IsCancellationRequested)
        {
            read = new VapiUnavailable(VapiErrorKinds.Timeout); // The next tick polls again.
        }

        switch (read)
        {
            case VapiCallFound found:
                await ApplyAsync(NewsOf(found.Call));
                break;
            case VapiCallNotFound when time.GetUtcNow() - (S.LastDispatchAt ?? S.CreatedAt) < O.VisibilityGrace:
                LogNotVisibleYet(logger, Id, vapiCallId);
                break;
            case VapiCallNotFound:
                S.ConsecutiveNotFound++;
                if (S.ConsecutiveNotFound >= MaxConsecutiveNotFound && !CallStatuses.IsFinal(S.Status))
                {
                    await FailAsync("vapi_call_not_found", $"Vapi no longer knows call {vapiCallId}.");
                }
                else
                {
                    await WriteAsync();
                }

                break;
        }
    }

    /// <summary>Ended without its report in time: one last poll for cost and times, then <c>call.ended</c> regardless.</summary>
    private async Task FinishEndedAsync(CancellationToken budget)
    {
        if (S.EndedAnnounced)
        {
            return;
        }

        if (!S.HasFinalReport)
        {
            await PollAsync(budget);
        }

        if (!S.EndedAnnounced)
        {
            await AnnounceEndedAsync();
        }
    }

    /// <summary>The watch at its usual period.</summary>
    private async Task ArmWatchAsync() => await this.RegisterOrUpdateReminder(WatchReminder, Period, Period);

    /// <summary>
    /// A scheduled call's next check: at its exact time when that is near, else after
    /// <see cref="CallOptions.ScheduleCheckInterval"/>. Reminders run on the runtime's clock while
    /// the schedule is in product time, so each check compares them again (and a far-off call costs
    /// one reminder tick per interval, not one per minute).
    /// </summary>
    private async Task ArmScheduleCheckAsync(DateTimeOffset now)
    {
        var remaining = D.ScheduledAt!.Value - now;
        var due = remaining < O.ScheduleCheckInterval ? remaining : O.ScheduleCheckInterval;
        await this.RegisterOrUpdateReminder(WatchReminder, due > TimeSpan.Zero ? due : TimeSpan.FromMilliseconds(1), Period);
    }

    private async Task DisarmWatchIfSettledAsync()
    {
        var settled = CallStatuses.IsFinal(S.Status) && !S.HoldsSlot && S.QueueTicket is null &&
            (S.Status != CallStatus.Ended || S.EndedAnnounced) && CaughtUp;
        if (settled)
        {
            await UnregisterWatchAsync();
        }
    }

    private async Task UnregisterWatchAsync()
    {
        if (await this.GetReminder(WatchReminder) is { } reminder)
        {
            await this.UnregisterReminder(reminder);
        }
    }

    /// <summary>Runs <paramref name="step"/> after <paramref name="due"/> in a turn of its own, with a budget of its own; replaces a step already armed.</summary>
    private void ArmNextStep(TimeSpan due, Func<CancellationToken, Task> step)
    {
        _nextStep?.Dispose();
        _nextStep = this.RegisterGrainTimer(
            async _ =>
            {
                // Note: disposing the timer cancels the token of its own tick, so the step's budget
                // starts from nothing.
                _nextStep?.Dispose();
                _nextStep = null;
                using var budget = grainOptions.Value.StartOperation(CancellationToken.None);
                await step(budget.Token);
            },
            new GrainTimerCreationOptions(due, Timeout.InfiniteTimeSpan) { Interleave = false, KeepAlive = true });
    }

    private void ArmReportTimer(TimeSpan due)
    {
        if (_reportTimer is not null)
        {
            return;
        }

        _reportTimer = this.RegisterGrainTimer(
            async _ =>
            {
                _reportTimer?.Dispose();
                _reportTimer = null;
                using var budget = grainOptions.Value.StartOperation(CancellationToken.None);
                await FinishEndedAsync(budget.Token);
            },
            new GrainTimerCreationOptions(due, Timeout.InfiniteTimeSpan) { Interleave = false, KeepAlive = true });
    }
}
