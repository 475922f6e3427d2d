using CalendarGrains.Common;

namespace CalendarGrains.Calls;

/// <summary>How long a tenant's line waits after Vapi refused a call for lack of capacity.</summary>
public static class RefusalBackoff
{
    /// <summary>Vapi's Retry-After when it gave one (capped); else exponential from the base, with ±20 % jitter.</summary>
    public static TimeSpan After(int refusalsInARow, TimeSpan? retryAfter, CallOptions options)
    {
        if (retryAfter is { } given && given > TimeSpan.Zero)
        {
            return given < options.MaxRefusalBackoff ? given : options.MaxRefusalBackoff;
        }

        var delay = DurableBackoff.Exponential(options.RefusalBackoff, options.MaxRefusalBackoff, refusalsInARow);
        return DurableBackoff.Jitter(delay, 0.2, Random.Shared.NextDouble());
    }
}
