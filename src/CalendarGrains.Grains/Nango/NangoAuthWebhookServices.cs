using System.Net;
using CalendarGrains.Common;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Timeout;

namespace CalendarGrains.Nango;

public static class NangoAuthWebhookServices
{
    /// <summary>Nango's <c>auth</c> webhooks: the feed on the outbox, the dispatcher and its HTTP client.</summary>
    public static IServiceCollection AddNangoAuthWebhooks(this IServiceCollection services)
    {
        services.AddServiceTime();
        services.AddOptions<NangoWebhookOptions>().BindConfiguration(NangoWebhookOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<NangoWebhookOptions>, NangoWebhookOptions.Validator>();
        services.AddSingleton<NangoAuthWebhookDispatcher>();
        services.AddHostedService(provider => provider.GetRequiredService<NangoAuthWebhookDispatcher>());
        services.AddSingleton<IIncomingGrainCallFilter, NangoAuthWebhookFeed>();
        services.AddHttpClient(NangoAuthWebhookDispatcher.HttpClientName, client => client.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false })
            // The factory's request logs print the full URL, and a handler's query string may hold a token.
            .RemoveAllLoggers()
            .AddResilienceHandler("nango-webhooks", (pipeline, context) =>
            {
                var settings = context.GetOptions<NangoWebhookOptions>();
                pipeline
                    .AddRetry(new HttpRetryStrategyOptions
                    {
                        MaxRetryAttempts = Math.Max(1, settings.Retries),
                        BackoffType = DelayBackoffType.Exponential,
                        UseJitter = false,
                        Delay = settings.RetryDelay,
                        ShouldRetryAfterHeader = false,
                        // Nango's rule: a network failure or a 5xx is worth another try, any other answer is final.
                        ShouldHandle = args => ValueTask.FromResult(settings.Retries > 0 && args.Outcome switch
                        {
                            { Exception: HttpRequestException or TimeoutRejectedException } => true,
                            { Result.StatusCode: >= HttpStatusCode.InternalServerError } => true,
                            _ => false,
                        }),
                    })
                    .AddTimeout(settings.AttemptTimeout);
            });
        return services;
    }
}
