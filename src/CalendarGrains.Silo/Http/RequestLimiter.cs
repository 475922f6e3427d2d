using System.Runtime.CompilerServices;
using System.Threading.RateLimiting;
using CalendarGrains.Silo.Auth;

namespace CalendarGrains.Silo.Http;

/// <summary>
/// The global limiter: a known API key spends its own <see cref="KeyBucket"/>, held next to the
/// key's warm entry in <see cref="ApiKeyResolver"/>; everything else goes to
/// <paramref name="others"/> (the library's partitioned limiter: per client address, the admin key).
/// </summary>
/// <remarks>
/// Note: a key's bucket lives as long as its resolved entry (a few minutes, then the key is
/// resolved again and starts with a full bucket). That lets a key spend at most one extra burst per
/// resolution, and in exchange there is nothing to evict: the resolver's cache is bounded, and a
/// bucket goes with its entry.
/// </remarks>
public sealed class RequestLimiter(
    ApiKeyResolver keys, RateLimit perKey, TimeProvider time, PartitionedRateLimiter<HttpContext> others) : PartitionedRateLimiter<HttpContext>
{
    private readonly ConditionalWeakTable<ResolvedApiKey, KeyBucket> _buckets = new();
    private readonly ConditionalWeakTable<ResolvedApiKey, KeyBucket>.CreateValueCallback _newBucket = _ => new KeyBucket(perKey, time);

    /// <summary>The paths no limit applies to: the probes, the metrics scrape and the sandbox's emulators.</summary>
    public static bool IsExempt(PathString path) =>
        path.StartsWithSegments("/health") || path.StartsWithSegments("/metrics") || path.StartsWithSegments("/sandbox");

    public override RateLimiterStatistics? GetStatistics(HttpContext resource) => null;

    protected override RateLimitLease AttemptAcquireCore(HttpContext resource, int permitCount)
    {
        if (IsExempt(resource.Request.Path))
        {
            return Lease.Granted;
        }

        var bearer = ApiKeyAuthenticationHandler.BearerToken(resource.Request.Headers.Authorization.ToString());
        if (!bearer.IsEmpty && keys.TryResolveWarm(bearer, out var known) && known is not null)
        {
            return _buckets.GetValue(known, _newBucket).TryTake(out var retryAfter) ? Lease.Granted : new Lease(retryAfter);
        }

        return others.AttemptAcquire(resource, permitCount);
    }

    protected override ValueTask<RateLimitLease> AcquireAsyncCore(HttpContext resource, int permitCount, CancellationToken cancellationToken) =>
        ValueTask.FromResult(AttemptAcquireCore(resource, permitCount)); // Nothing queues: a request over its budget is refused at once.

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            others.Dispose();
        }

        base.Dispose(disposing);
    }

    /// <summary>A grant (one shared instance: it holds nothing to release) or a refusal with its Retry-After.</summary>
    private sealed class Lease(TimeSpan? retryAfter) : RateLimitLease
    {
        public static readonly Lease Granted = new(null);

        public override bool IsAcquired => retryAfter is null;

        public override IEnumerable<string> MetadataNames => retryAfter is null ? [] : [MetadataName.RetryAfter.Name];

        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            metadata = retryAfter;
            return retryAfter is not null && metadataName == MetadataName.RetryAfter.Name;
        }
    }
}
