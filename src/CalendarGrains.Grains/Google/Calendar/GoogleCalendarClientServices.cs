using System.Net;
using CalendarGrains.Common;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Timeout;

namespace CalendarGrains.Google.Calendar;

public static class GoogleCalendarClientServices
{
    /// <summary>
    /// Registers <see cref="GoogleCalendarClient"/> and its two named HTTP clients. Needs an
    /// <see cref="CalendarGrains.Google.IGoogleEndpoints"/> registration (the host provides it).
    /// </summary>
    /// <remarks>
    /// Note: retries are chosen per operation, not per HTTP method. Google's freebusy.query is a POST only
    /// to carry its body; it reads and changes nothing, so repeating it is safe. The standard handler's
    /// <c>DisableForUnsafeHttpMethods()</c> would therefore wrongly stop its retries, and the read client
    /// retries any method instead; it is safe because only reads (freeBusy, events.list) are sent through
    /// it. events.insert goes through the write client, which has a timeout and no retry at all: an insert
    /// whose answer was lost may have landed, and a second one would book the slot twice.
    /// The pipelines run on the host's TimeProvider, as the resilience library wires them.
    /// </remarks>
    public static IServiceCollection AddGoogleCalendarClient(this IServiceCollection services, Action<GoogleCalendarClientOptions>? configure = null)
    {
        var options = services.AddOptions<GoogleCalendarClientOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        if (services.Any(d => d.ServiceType == typeof(GoogleCalendarClient)))
        {
            // Registered already: a second set of handlers would stack a second retry layer.
            return services;
        }

        services.AddServiceTime();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<GoogleCalendarClientOptions>, GoogleCalendarClientOptionsValidator>());
        options.ValidateOnStart();
        services.AddSingleton<GoogleCalendarClient>();

        services.AddHttpClient(GoogleCalendarClient.ReadClientName)
            .AddResilienceHandler("reads", (pipeline, context) =>
            {
                var settings = context.GetOptions<GoogleCalendarClientOptions>();
                var time = context.ServiceProvider.GetRequiredKeyedService<TimeProvider>(ServiceTime.Key);
                pipeline
                    .AddTimeout(settings.ReadTotalTimeout)
                    .AddRetry(new HttpRetryStrategyOptions
                    {
                        MaxRetryAttempts = settings.ReadRetries,
                        BackoffType = DelayBackoffType.Exponential,
                        UseJitter = true,
                        Delay = settings.ReadRetryDelay,
                        MaxDelay = settings.ReadRetryMaxDelay,
                        ShouldHandle = args => ShouldRetryReadAsync(args.Outcome, args.Context.CancellationToken),
                        // Google's Retry-After, capped: the library would otherwise wait as long as it says.
                        ShouldRetryAfterHeader = false,
                        DelayGenerator = args => ValueTask.FromResult(
                            args.Outcome.Result is { } response && GoogleCalendarErrors.RetryAfter(response, time) is { } wait
                                ? (TimeSpan?)(wait < settings.ReadRetryMaxDelay ? wait : settings.ReadRetryMaxDelay)
                                : null),
                    })
                    .AddTimeout(settings.AttemptTimeout);
            });

        services.AddHttpClient(GoogleCalendarClient.WriteClientName)
            .AddResilienceHandler("writes", (pipeline, context) =>
                pipeline.AddTimeout(context.GetOptions<GoogleCalendarClientOptions>().AttemptTimeout));
        return services;
    }

    /// <summary>Transient: an attempt timed out, the network failed, 408, 429, 5xx, or a 403 that is a rate limit.</summary>
    private static async ValueTask<bool> ShouldRetryReadAsync(Outcome<HttpResponseMessage> outcome, CancellationToken cancellationToken) => outcome switch
    {
        { Exception: TimeoutRejectedException or HttpRequestException } => true,
        { Result: { StatusCode: HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests or >= HttpStatusCode.InternalServerError } } => true,
        { Result: { } response } => await GoogleCalendarErrors.IsRateLimitedAsync(response, cancellationToken),
        _ => false,
    };

    private sealed class GoogleCalendarClientOptionsValidator : IValidateOptions<GoogleCalendarClientOptions>
    {
        public ValidateOptionsResult Validate(string? name, GoogleCalendarClientOptions options) =>
            options.Problems().ToArray() is { Length: > 0 } problems
                ? ValidateOptionsResult.Fail(problems.Select(p => "GoogleCalendarClientOptions: " + p))
                : ValidateOptionsResult.Success;
    }
}
