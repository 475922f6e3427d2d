using Microsoft.Extensions.Options;

namespace CalendarGrains.Silo.Http;

/// <summary>
/// <c>RateLimiting:*</c>: token buckets, per silo. Anonymous requests (and requests whose key is not
/// a known one) share a bucket per client address; a known API key has its own. Generous by
/// default: they stop floods, not busy clients (one key's token route is benchmarked at ~60,000
/// requests a second on two cores).
/// </summary>
public sealed class RateLimitingOptions
{
    public const string Section = "RateLimiting";

    public bool Enabled { get; set; } = true;

    /// <summary>Per client address (an IPv6 client per /64): the connect links, <c>/oauth2/token</c>, Vapi's messages, unknown keys.</summary>
    public RateLimit Anonymous { get; set; } = new() { PermitsPerSecond = 100, Burst = 1_000 };

    /// <summary>Per API key (each tenant key, and the admin key).</summary>
    public RateLimit PerKey { get; set; } = new() { PermitsPerSecond = 100_000, Burst = 100_000 };
}

/// <summary>A bucket of <see cref="Burst"/> requests, refilled with <see cref="PermitsPerSecond"/> every second.</summary>
public sealed class RateLimit
{
    public int PermitsPerSecond { get; set; }

    public int Burst { get; set; }
}

public sealed class RateLimitingOptionsValidator : IValidateOptions<RateLimitingOptions>
{
    public ValidateOptionsResult Validate(string? name, RateLimitingOptions options)
    {
        var failures = new List<string>();
        foreach (var (section, limit) in new[] { ("Anonymous", options.Anonymous), ("PerKey", options.PerKey) })
        {
            if (limit.PermitsPerSecond < 1)
            {
                failures.Add($"{RateLimitingOptions.Section}:{section}:PermitsPerSecond must be at least 1.");
            }

            if (limit.Burst < 1)
            {
                failures.Add($"{RateLimitingOptions.Section}:{section}:Burst must be at least 1.");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
