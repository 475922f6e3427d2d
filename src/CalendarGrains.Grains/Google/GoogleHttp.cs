using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using Polly;
using Polly.Timeout;

namespace CalendarGrains.Google;

/// <summary>
/// The named HTTP clients of Google's OAuth endpoints, each with its resilience handler: the one
/// convention of the service's outbound HTTP (IHttpClientFactory, Microsoft.Extensions.Http.Resilience).
/// </summary>
/// <remarks>
/// Note: Google.Apis.Auth's own exponential back-off is switched off (it waits on the wall clock
/// without jitter); its HTTP comes from these clients' handlers instead (<see cref="HandlerFactoryBridge"/>).
/// Refresh and revoke are retried (4 attempts, jittered exponential back-off from 250 ms, 5 s per
/// attempt: at most ~22 s, inside Orleans' 30 s call timeout). The code exchange is not: a code is
/// single-use and an ambiguous failure cannot be replayed safely. Userinfo is read once, bounded.
/// </remarks>
public static class GoogleHttp
{
    /// <summary>Refresh and revoke: safe to repeat.</summary>
    public const string OAuthClient = "google-oauth";

    /// <summary>The authorization-code exchange: never retried.</summary>
    public const string CodeExchangeClient = "google-oauth-code-exchange";

    public const string UserInfoClient = "google-userinfo";

    public static readonly TimeSpan AttemptTimeout = TimeSpan.FromSeconds(5);

    public const int MaxRetryAttempts = 3;

    public static readonly TimeSpan FirstRetryDelay = TimeSpan.FromMilliseconds(250);

    public static IServiceCollection AddGoogleOAuthHttpClients(this IServiceCollection services)
    {
        services.AddHttpClient(OAuthClient, NoClientTimeout).AddResilienceHandler(OAuthClient, pipeline => pipeline
            .AddRetry(new HttpRetryStrategyOptions
            {
                MaxRetryAttempts = MaxRetryAttempts,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = FirstRetryDelay,
                // The token endpoint's Retry-After is not honoured: the grain's cool-down paces Google.
                ShouldRetryAfterHeader = false,
                ShouldHandle = args => ValueTask.FromResult(IsTransient(args.Outcome)),
            })
            .AddTimeout(AttemptTimeout));
        services.AddHttpClient(CodeExchangeClient, NoClientTimeout).AddResilienceHandler(CodeExchangeClient, pipeline => pipeline.AddTimeout(AttemptTimeout));
        services.AddHttpClient(UserInfoClient, NoClientTimeout).AddResilienceHandler(UserInfoClient, pipeline => pipeline.AddTimeout(AttemptTimeout));
        return services;
    }

    /// <summary>An attempt timed out, the network failed, 429 or 5xx: what Google asks clients to retry.</summary>
    public static bool IsTransient(Outcome<HttpResponseMessage> outcome) => outcome switch
    {
        { Exception: HttpRequestException or TimeoutRejectedException } => true,
        { Result.StatusCode: HttpStatusCode.TooManyRequests or >= HttpStatusCode.InternalServerError } => true,
        _ => false,
    };

    /// <summary>The pipeline's timeouts bound each attempt; HttpClient's own 100 s default would only confuse.</summary>
    private static void NoClientTimeout(HttpClient client) => client.Timeout = Timeout.InfiniteTimeSpan;
}

/// <summary>
/// Google.Apis.Auth's <c>HttpClientFactory</c> abstraction over <see cref="IHttpMessageHandlerFactory"/>:
/// the library's requests go through the named client's pooled handler and its resilience pipeline
/// (connection reuse, DNS refresh, the same HttpClient diagnostics as the rest of the service).
/// </summary>
internal sealed class HandlerFactoryBridge(IHttpMessageHandlerFactory handlers, string name) : global::Google.Apis.Http.HttpClientFactory
{
    protected override HttpMessageHandler CreateHandler(global::Google.Apis.Http.CreateHttpClientArgs args) => new ForwardingHandler(handlers.CreateHandler(name));

    /// <summary>The library disposes its clients and handlers; the factory's pooled handler must outlive them.</summary>
    private sealed class ForwardingHandler(HttpMessageHandler pooled) : HttpMessageHandler
    {
        private readonly HttpMessageInvoker _invoker = new(pooled, disposeHandler: false);

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            _invoker.SendAsync(request, cancellationToken);
    }
}
