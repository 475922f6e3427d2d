using CalendarGrains.Calls;
using CalendarGrains.Telemetry;
using CalendarGrains.Vapi;
using Microsoft.Extensions.Options;

namespace CalendarGrains.Silo.Calls;

public static class CallServices
{
    public static IServiceCollection AddCallServices(this IServiceCollection services)
    {
        services.AddOptions<VapiOptions>().BindConfiguration(VapiOptions.Section);
        services.AddOptions<CallOptions>().BindConfiguration(CallOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<CallOptions>, CallOptionsValidator>();
        services.AddSingleton<IVapiEndpoints, ConfiguredVapiEndpoints>();
        services.AddSingleton<CallMetrics>();
        services.AddSingleton<CallIndex>();
        services.AddSingleton<CallListing>();
        services.AddSingleton<VapiClient>();

        // Note: POST /call must never be retried by a handler (Vapi has no idempotency keys; a retry
        // can dial a customer twice). Clearing the additional handlers also keeps out any default
        // (e.g. a host-wide standard resilience handler) added later with ConfigureHttpClientDefaults.
        // The grain bounds each request with Calls:DispatchTimeout and reconciles instead.
        services.AddHttpClient(VapiHttpClientNames.CreateCall, client => client.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigureAdditionalHttpMessageHandlers((handlers, _) => handlers.Clear());

        // Reads are safe to repeat: a short attempt timeout and two retries (5xx, 408, 429, network).
        services.AddHttpClient(VapiHttpClientNames.Read, client => client.Timeout = Timeout.InfiniteTimeSpan)
            .AddStandardResilienceHandler(resilience =>
            {
                resilience.AttemptTimeout.Timeout = TimeSpan.FromSeconds(4);
                resilience.Retry.MaxRetryAttempts = 2;
                resilience.TotalRequestTimeout.Timeout = TimeSpan.FromSeconds(12);
                resilience.CircuitBreaker.SamplingDuration = TimeSpan.FromSeconds(10);
            });
        return services;
    }
}
