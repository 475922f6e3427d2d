namespace CalendarGrains.Common;

/// <summary>
/// The one back-off of the durable retries, those a reminder or a stored due time carries across
/// restarts: webhook deliveries, a tenant's line after Vapi refused a call, a connection's cool-down
/// after a failed refresh. Steps grow exponentially up to a cap, and jitter spreads them so that
/// many retries that failed together (a provider's outage) do not come back in lockstep.
/// </summary>
/// <remarks>
/// The attempts within one HTTP operation retry in the named clients' resilience handlers instead
/// (Microsoft.Extensions.Http.Resilience): those are seconds, these are minutes to hours.
/// </remarks>
public static class DurableBackoff
{
    /// <summary><paramref name="first"/> × 2^(n − 1) for the n-th retry in a row (n from 1), never more than <paramref name="cap"/>.</summary>
    public static TimeSpan Exponential(TimeSpan first, TimeSpan cap, int retry)
    {
        var exponent = Math.Clamp(retry - 1, 0, 30);
        return TimeSpan.FromTicks((long)Math.Min(cap.Ticks, first.Ticks * Math.Pow(2, exponent)));
    }

    /// <summary>
    /// <paramref name="delay"/> times a factor drawn uniformly from [<paramref name="low"/>, <paramref name="high"/>)
    /// by <paramref name="random"/>, a sample in [0, 1) (a test passes its own).
    /// </summary>
    public static TimeSpan Jitter(TimeSpan delay, double low, double high, double random) => delay * (low + ((high - low) * random));

    /// <summary>±<paramref name="fraction"/> around <paramref name="delay"/>.</summary>
    public static TimeSpan Jitter(TimeSpan delay, double fraction, double random) => Jitter(delay, 1 - fraction, 1 + fraction, random);
}
