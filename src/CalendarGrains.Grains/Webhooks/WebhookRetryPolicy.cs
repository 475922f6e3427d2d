using CalendarGrains.Common;

namespace CalendarGrains.Webhooks;

/// <summary>When a failed event is tried again, or that it is given up: exponential steps with jitter, within the retention window.</summary>
public sealed class WebhookRetryPolicy(WebhookOptions options)
{
    private IReadOnlyList<TimeSpan> Delays => options.RetryDelays.Count > 0 ? options.RetryDelays : WebhookOptions.DefaultRetryDelays;

    /// <summary>The last moment an event first enqueued at <paramref name="firstEnqueuedAt"/> may still be attempted.</summary>
    public DateTimeOffset Deadline(DateTimeOffset firstEnqueuedAt) => firstEnqueuedAt + options.Retention;

    /// <summary>The wait after the <paramref name="failedAttempts"/>-th failure, before jitter.</summary>
    public TimeSpan BaseDelay(int failedAttempts) => Delays[Math.Clamp(failedAttempts, 1, Delays.Count) - 1];

    /// <summary>
    /// When to try again after <paramref name="failedAttempts"/> failures, or null to give up because
    /// that would be past the deadline. <paramref name="random"/> is a sample in [0, 1) for the jitter.
    /// </summary>
    public DateTimeOffset? NextAttempt(int failedAttempts, DateTimeOffset now, DateTimeOffset firstEnqueuedAt, double random)
    {
        var next = now + DurableBackoff.Jitter(BaseDelay(failedAttempts), options.Jitter, random);
        return next <= Deadline(firstEnqueuedAt) ? next : null;
    }
}
