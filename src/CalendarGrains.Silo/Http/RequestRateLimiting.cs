using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Threading.RateLimiting;
using CalendarGrains.Silo.Auth;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace CalendarGrains.Silo.Http;

/// <summary>
/// ASP.NET Core rate limiting for every route but the probes, the metrics scrape and the sandbox's
/// emulators: a bucket per known API key (<see cref="RequestLimiter"/>), else one per client address. A refused request is
/// <c>429</c> problem+json (<c>rate_limited</c>) with <c>Retry-After</c>.
/// </summary>
/// <remarks>
/// Note: it runs before authentication and tells a known key from the resolver's warm cache (a
/// dictionary lookup), so a flood of made-up keys is limited per address before any of them is
/// looked up in storage. Behind a proxy the client address is the proxy's unless forwarded headers
/// are enabled (<c>ASPNETCORE_FORWARDEDHEADERS_ENABLED=true</c>).
/// </remarks>
public static class RequestRateLimiting
{
    public const string RateLimitedCode = ProblemCodes.RateLimited;

    public static IServiceCollection AddRequestRateLimiting(this IServiceCollection services)
    {
        services.AddOptions<RateLimitingOptions>().BindConfiguration(RateLimitingOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<RateLimitingOptions>, RateLimitingOptionsValidator>();
        services.AddRateLimiter(_ => { });
        services.AddOptions<RateLimiterOptions>().Configure<IOptions<RateLimitingOptions>, ApiKeyResolver, AdminKey, TimeProvider>((options, limits, keys, admin, time) =>
        {
            options.OnRejected = RejectAsync;
            if (limits.Value.Enabled)
            {
                var (anonymous, perKey) = (Bucket(limits.Value.Anonymous), Bucket(limits.Value.PerKey));
                var others = PartitionedRateLimiter.Create<HttpContext, RequestPartition>(context => Partition(context, admin, anonymous, perKey));
                options.GlobalLimiter = new RequestLimiter(keys, limits.Value.PerKey, time, others);
            }
        });
        return services;
    }

    /// <summary>The requests no known tenant key came with (<see cref="RequestLimiter"/> takes those): the admin key's bucket, else the client address's.</summary>
    private static RateLimitPartition<RequestPartition> Partition(
        HttpContext context, AdminKey admin, TokenBucketRateLimiterOptions anonymous, TokenBucketRateLimiterOptions perKey)
    {
        var bearer = ApiKeyAuthenticationHandler.BearerToken(context.Request.Headers.Authorization.ToString());
        if (!bearer.IsEmpty && admin.Matches(bearer.ToString()))
        {
            return RateLimitPartition.GetTokenBucketLimiter(RequestPartition.Admin, _ => perKey);
        }

        return RateLimitPartition.GetTokenBucketLimiter(new RequestPartition(ClientAddress(context)), _ => anonymous);
    }

    /// <summary>An IPv4 client by its address; an IPv6 client by its /64, the least a host is given.</summary>
    private static IPAddress ClientAddress(HttpContext context)
    {
        var address = context.Connection.RemoteIpAddress ?? IPAddress.None;
        if (address.IsIPv4MappedToIPv6)
        {
            return address.MapToIPv4();
        }

        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return address;
        }

        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out _);
        bytes[8..].Clear();
        return new IPAddress(bytes);
    }

    private static TokenBucketRateLimiterOptions Bucket(RateLimit limit) => new()
    {
        TokenLimit = limit.Burst,
        TokensPerPeriod = limit.PermitsPerSecond,
        ReplenishmentPeriod = TimeSpan.FromSeconds(1),
        QueueLimit = 0,
        AutoReplenishment = true,
    };

    private static async ValueTask RejectAsync(OnRejectedContext rejected, CancellationToken cancellationToken)
    {
        var context = rejected.HttpContext;
        var retryAfter = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromSeconds(1);
        context.Response.StatusCode = StatusCodes.Status429TooManyRequests;
        context.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        await context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails =
            {
                Status = StatusCodes.Status429TooManyRequests,
                Title = "Too many requests",
                Detail = "This client has sent more requests than it may; retry after the given delay.",
                Type = ProblemCodes.TypeOf(RateLimitedCode),
                Extensions = { ["code"] = RateLimitedCode },
            },
        });
    }

    /// <summary>Whose bucket: the admin key's (no address), or a client address's.</summary>
    private readonly record struct RequestPartition(IPAddress? Address)
    {
        public static readonly RequestPartition Admin = new((IPAddress?)null);
    }
}
