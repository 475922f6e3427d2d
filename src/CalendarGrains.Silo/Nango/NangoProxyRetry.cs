using System.Net;
using Microsoft.Extensions.Http.Resilience;
using Polly;
using Polly.Timeout;

namespace CalendarGrains.Silo.Nango;

/// <summary>
/// The proxy's HTTP client: retries only as many times as the caller's <c>Retries</c> header asks
/// (Nango's default: none), on what Nango's proxy retries for Google Calendar (429, 5xx, 403 rate
/// limits, a network failure, and the statuses of <c>Retry-On</c>), with exponential back-off or
/// Google's <c>Retry-After</c>.
/// </summary>
/// <remarks>
/// Note: every method may be retried, POST included, because the caller asked for it per request,
/// as with Nango. A caller that must not repeat an insert sends no <c>Retries</c>.
/// Nango also retries 401 for this provider; here a token is handed out with 15 minutes left, so a
/// 401 is not a stale token and is passed back at once.
/// </remarks>
public static class NangoProxyRetry
{
    public const string HttpClientName = "nango-proxy";

    private static readonly HttpRequestOptionsKey<int> RetriesKey = new("cg.nango.retries");
    private static readonly HttpRequestOptionsKey<IReadOnlyList<int>> RetryOnKey = new("cg.nango.retry-on");

    public static void Ask(HttpRequestMessage request, int retries, IReadOnlyList<int> retryOn)
    {
        request.Options.Set(RetriesKey, retries);
        request.Options.Set(RetryOnKey, retryOn);
    }

    public static IServiceCollection AddNangoProxyClient(this IServiceCollection services)
    {
        services.AddHttpClient(HttpClientName, client => client.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler
            {
                AllowAutoRedirect = false,
                AutomaticDecompression = DecompressionMethods.All,
                UseCookies = false,
            })
            .AddResilienceHandler("nango-proxy", (pipeline, context) =>
            {
                var settings = context.GetOptions<NangoProxyOptions>();
                pipeline
                    .AddTimeout(settings.TotalTimeout)
                    .AddRetry(new HttpRetryStrategyOptions
                    {
                        MaxRetryAttempts = Math.Max(1, settings.MaxRetries),
                        BackoffType = DelayBackoffType.Exponential,
                        UseJitter = false,
                        Delay = settings.RetryDelay,
                        MaxDelay = settings.RetryMaxDelay,
                        ShouldRetryAfterHeader = true,
                        ShouldHandle = args => ValueTask.FromResult(ShouldRetry(args.Outcome, args.AttemptNumber, args.Context)),
                    })
                    .AddTimeout(settings.AttemptTimeout);
            });
        return services;
    }

    private static bool ShouldRetry(Outcome<HttpResponseMessage> outcome, int attemptNumber, ResilienceContext context)
    {
        var request = context.GetRequestMessage();
        if (request is null || !request.Options.TryGetValue(RetriesKey, out var retries) || attemptNumber >= retries)
        {
            return false;
        }

        request.Options.TryGetValue(RetryOnKey, out var retryOn);
        return outcome switch
        {
            { Exception: HttpRequestException or TimeoutRejectedException } => true,
            { Result: { } response } => (int)response.StatusCode is 429 or 403 or >= 500 || (retryOn?.Contains((int)response.StatusCode) ?? false),
            _ => false,
        };
    }
}
