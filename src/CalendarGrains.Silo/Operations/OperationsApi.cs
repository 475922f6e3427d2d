using Microsoft.Extensions.Diagnostics.HealthChecks;

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
        services.AddHealthChecks().AddCheck<SiloReadinessCheck>("silo", tags: [ReadyTag]);
        // Note: a fixed title; by default it is the entry assembly's name, which differs between the
        // production silo and the sandbox host serving the same API.
        services.AddOpenApi(options => options.AddDocumentTransformer((document, _, _) =>
        {
            document.Info.Title = "CalendarGrains";
            document.Info.Description = "The HTTP API of CalendarGrains; docs/api.md is its reference (generated from this document).";
            return Task.CompletedTask;
        }));
        return services;
    }

    public static IEndpointRouteBuilder MapOperationsApi(this IEndpointRouteBuilder app)
    {
        // Live: the process answers. Ready: this silo is an active member and can take traffic.
        app.MapHealthChecks("/health/live", new() { Predicate = _ => false }).ExcludeFromDescription();
        app.MapGet("/health/ready", ReadyAsync).ExcludeFromDescription();
        app.MapOpenApi("/openapi/{documentName}.json");
        return app;
    }

    /// <summary>
    /// 503 while draining without running the checks: a draining silo is unready on purpose, and
    /// the health check service would log every probe of it as a failure. Otherwise the checks
    /// tagged <see cref="ReadyTag"/>, answered as the health check middleware does.
    /// </summary>
    private static async Task<IResult> ReadyAsync(Draining draining, HealthCheckService health, HttpResponse response, CancellationToken cancellationToken)
    {
        response.Headers.CacheControl = "no-store, no-cache";
        if (draining.IsDraining)
        {
            return Results.Text(nameof(HealthStatus.Unhealthy), "text/plain", statusCode: StatusCodes.Status503ServiceUnavailable);
        }

        var report = await health.CheckHealthAsync(check => check.Tags.Contains(ReadyTag), cancellationToken);
        return Results.Text(report.Status.ToString(), "text/plain",
            statusCode: report.Status == HealthStatus.Healthy ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable);
    }
}
