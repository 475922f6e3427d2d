using Microsoft.Extensions.Logging;

namespace CalendarGrains.Calls;

/// <summary>The call's side of its tenant's line: when a waiting call tells the queue (again) where it stands.</summary>
public sealed partial class CallDispatchGrain
{
    /// <summary>After a failure to reach the queue, the next attempt.</summary>
    private static readonly TimeSpan LineRetryDelay = TimeSpan.FromSeconds(1);

    /// <summary>When the queue last confirmed this call's place (in this activation); null: not since it last changed.</summary>
    private DateTimeOffset? _lineConfirmedAt;

    private IGrainTimer? _lineTimer;

    /// <summary>A waiting call asserts its place when the queue has not confirmed it in this activation, or not for <see cref="CallOptions.LineLease"/>.</summary>
    private bool LineLeaseExpired(DateTimeOffset now) => _lineConfirmedAt is not { } confirmed || now - confirmed >= O.LineLease;

    /// <summary>Tells the queue where the call stands: a waiting call its place in line, a final one that its slot is free.</summary>
    private void ArmLineTimer(TimeSpan due)
    {
        _lineTimer?.Dispose();
        _lineTimer = this.RegisterGrainTimer(
            async _ =>
            {
                _lineTimer?.Dispose();
                _lineTimer = null;
                if (S.Status == CallStatus.Pending && LineLeaseExpired(time.GetUtcNow()))
                {
                    await EnqueueOrRetryAsync();
                }
                else if (CallStatuses.IsFinal(S.Status))
                {
                    await SettleAsync();
                }
            },
            new GrainTimerCreationOptions(due, Timeout.InfiniteTimeSpan) { Interleave = false, KeepAlive = true });
    }

    private async Task EnqueueOrRetryAsync()
    {
        try
        {
            await EnqueueAsync();
        }
        catch (Exception e)
        {
            LogLineNotReached(logger, e, Id);
            ArmLineTimer(LineRetryDelay);
        }
    }

    [LoggerMessage(EventId = 619, EventName = "CallLineNotReached", Level = LogLevel.Warning, Message = "Call {CallId}: could not tell its queue it is waiting; trying again shortly")]
    private static partial void LogLineNotReached(ILogger logger, Exception exception, string callId);
}
