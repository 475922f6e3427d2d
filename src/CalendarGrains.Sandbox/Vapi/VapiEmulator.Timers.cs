using CalendarGrains.Sandbox.Vapi.Calls;
using CalendarGrains.Sandbox.Vapi.Wire;

namespace CalendarGrains.Sandbox.Vapi;

public sealed partial class VapiEmulator
{
    /// <summary>Identifies one automatic step, so a timer that fires late (after a manual step or a reset) does nothing.</summary>
    private sealed record StepTicket(EmulatedCall Call, int TimerVersion, CancellationToken Generation);

    /// <summary>Automatic mode: arms the call's next step on the injected clock. Manual mode: only disarms.</summary>
    private void ScheduleNextStepLocked(EmulatedCall call, DateTimeOffset now)
    {
        call.CancelTimer();
        if (!call.Automatic || call.IsEnded)
        {
            return;
        }

        var delay = call.Status switch
        {
            CallStatuses.Scheduled => call.Request.EarliestAt is { } due && due > now ? due - now : TimeSpan.Zero,
            CallStatuses.Queued => _settings.QueuedDuration,
            CallStatuses.Ringing => _settings.RingingDuration,
            _ => _settings.InProgressDuration,
        };

        var ticket = new StepTicket(call, call.TimerVersion, _generation.Token);
        var timer = _time.CreateTimer(OnStepDue, ticket, delay, Timeout.InfiniteTimeSpan);

        // Note: a fake clock may fire a due timer inside CreateTimer; the step it ran has armed a newer timer.
        if (call.TimerVersion == ticket.TimerVersion)
        {
            call.Timer = timer;
        }
        else
        {
            timer.Dispose();
        }
    }

    private void OnStepDue(object? state)
    {
        var ticket = (StepTicket)state!;
        try
        {
            lock (_gate)
            {
                if (ticket.Generation.IsCancellationRequested || ticket.Call.TimerVersion != ticket.TimerVersion)
                {
                    return;
                }

                // The sends run on their own; nobody waits for an automatic step.
                _ = StepLocked(ticket.Call, Now());
            }
        }
#pragma warning disable CA1031 // A timer callback must not throw: it would take the process down.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            VapiEmulatorLog.AutomaticStepFailed(_logger, exception, ticket.Call.Id);
        }
    }
}
