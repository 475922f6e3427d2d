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

        var exponent = Math.Clamp(refusalsInARow - 1, 0, 16);
        var delay = Math.Min(options.RefusalBackoff.TotalMilliseconds * Math.Pow(2, exponent), options.MaxRefusalBackoff.TotalMilliseconds);
        var jitter = 0.8 + (Random.Shared.NextDouble() * 0.4);
        return TimeSpan.FromMilliseconds(delay * jitter);
    }
}
