using System.Threading.RateLimiting;

namespace CalendarGrains.Silo.Http;

/// <summary>
/// One API key's request budget: a token bucket of <see cref="RateLimit.Burst"/> refilled at
/// <see cref="RateLimit.PermitsPerSecond"/>, kept as the generic cell rate algorithm (one
/// timestamp, changed by compare-and-swap). No lock, no timer, no allocation on a grant.
/// </summary>
/// <remarks>
/// Note: why not <see cref="TokenBucketRateLimiter"/>: it takes a lock on every acquire and, with
/// automatic replenishment, owns a timer that roots it until disposed. A busy key sends every one of
/// its requests through its bucket, so on the token hand-out path that lock was the cost the
/// benchmark showed; anonymous clients still use the library's partitioned limiter.
/// </remarks>
public sealed class KeyBucket(RateLimit limit, TimeProvider time)
{
    /// <summary>The time one permit takes to come back, in <see cref="TimeProvider"/> timestamp ticks.</summary>
    private readonly long _interval = IntervalOf(limit, time);

    /// <summary>How far ahead of now the bucket may be spent: a full bucket's worth of permits.</summary>
    private readonly long _capacity = IntervalOf(limit, time) * limit.Burst;

    /// <summary>When the bucket is full again (the "theoretical arrival time"); in the past means full.</summary>
    private long _fullAt = long.MinValue;

    private static long IntervalOf(RateLimit limit, TimeProvider time) => Math.Max(1, time.TimestampFrequency / limit.PermitsPerSecond);

    /// <summary>Takes a permit; when there is none, says how long until there is one.</summary>
    public bool TryTake(out TimeSpan retryAfter)
    {
        while (true)
        {
            var now = time.GetTimestamp();
            var fullAt = Volatile.Read(ref _fullAt);
            var next = Math.Max(fullAt, now) + _interval;
            if (next - now > _capacity)
            {
                retryAfter = TimeSpan.FromSeconds((double)(next - now - _capacity) / time.TimestampFrequency);
                return false;
            }

            if (Interlocked.CompareExchange(ref _fullAt, next, fullAt) == fullAt)
            {
                retryAfter = TimeSpan.Zero;
                return true;
            }
        }
    }
}
