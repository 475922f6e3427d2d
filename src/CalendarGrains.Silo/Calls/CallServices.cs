using CalendarGrains.Calls;
using CalendarGrains.Silo.Vapi;
using CalendarGrains.Telemetry;
using CalendarGrains.Vapi;
using Microsoft.Extensions.Options;
using Polly;

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
        // can dial a customer twice): its pipeline has a timeout (Calls:DispatchTimeout) and no retry
        // strategy at all, stricter than the standard handler's DisableForUnsafeHttpMethods, whose
        // circuit breaker and shorter attempt timeout would also change what the grain sees. Clearing
        // the additional handlers first keeps out any default (e.g. a host-wide standard resilience
        // handler added with ConfigureHttpClientDefaults). A timeout means "reconcile", not "retry".
        // The client's own timeout is the same Calls:DispatchTimeout: the handler's ends with the
        // headers, the client's also bounds reading the body.
        services.AddHttpClient(VapiHttpClientNames.CreateCall)
            .ConfigureHttpClient((provider, client) => client.Timeout = provider.GetRequiredService<IOptions<CallOptions>>().Value.DispatchTimeout)
            .ConfigureAdditionalHttpMessageHandlers((handlers, _) => handlers.Clear())
            .AddResilienceHandler(VapiHttpClientNames.CreateCall, (pipeline, context) =>
                pipeline.AddTimeout(context.GetOptions<CallOptions>().DispatchTimeout));

        // Reads are safe to repeat: a short attempt timeout and two retries (5xx, 408, 429, network).
        // The client's own timeout is Calls:ReadTimeout, the whole read: unlike the handler's, it also
        // bounds reading the body, which the grains wait on without a cancellation token of their own.
        // Note: after the standard handler, which sets the client's timeout to infinite.
        var reads = services.AddHttpClient(VapiHttpClientNames.Read);
        reads.AddStandardResilienceHandler(resilience =>
        {
            resilience.AttemptTimeout.Timeout = TimeSpan.FromSeconds(4);
            resilience.Retry.MaxRetryAttempts = 2;
            resilience.TotalRequestTimeout.Timeout = TimeSpan.FromSeconds(12);
            resilience.CircuitBreaker.SamplingDuration = TimeSpan.FromSeconds(10);
        });
        reads.ConfigureHttpClient((provider, client) => client.Timeout = provider.GetRequiredService<IOptions<CallOptions>>().Value.ReadTimeout);
        return services;
    }
}
