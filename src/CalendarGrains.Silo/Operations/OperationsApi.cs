namespace CalendarGrains.Silo.Operations;

/// <summary>Liveness, readiness and the OpenAPI document.</summary>
public static class OperationsApi
{
    public const string ReadyTag = "ready";

    public static IServiceCollection AddOperations(this IServiceCollection services, bool clustered)
    {
        services.AddSingleton(new ServiceModeDrain(clustered ? 5 : 0));
        services.AddSingleton<Draining>();
        services.AddHostedService(provider => provider.GetRequiredService<Draining>());
        // The drain plus the silo's own graceful stop (grains deactivate and hand off) must fit.
        services.Configure<HostOptions>(options => options.ShutdownTimeout = TimeSpan.FromSeconds(60));
        var checks = services.AddHealthChecks().AddCheck<SiloReadinessCheck>("silo", tags: [ReadyTag]);
        if (clustered)
        {
            services.AddSingleton<RedisReadinessCheck>();
            checks.AddCheck<RedisReadinessCheck>("redis", tags: [ReadyTag]);
        }

        services.AddOpenApi();
        return services;
    }

    public static IEndpointRouteBuilder MapOperationsApi(this IEndpointRouteBuilder app)
    {
        // Live: the process answers. Ready: this silo is an active member and can take traffic.
        app.MapHealthChecks("/health/live", new() { Predicate = _ => false }).ExcludeFromDescription();
        app.MapHealthChecks("/health/ready", new() { Predicate = check => check.Tags.Contains(ReadyTag) }).ExcludeFromDescription();
        app.MapOpenApi("/openapi/{documentName}.json");
        return app;
    }
}
