using System.Diagnostics;
using CalendarGrains.Telemetry;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace CalendarGrains.Silo.Telemetry;

/// <summary>
/// OpenTelemetry in one place: the product meter and Orleans' meters on <c>/metrics</c> for
/// Prometheus, always; traces across HTTP → grain → outgoing HTTP (Orleans activity propagation)
/// and OTLP export when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set (or <c>Telemetry:Tracing</c>
/// is true, for an exporter added in code).
/// </summary>
/// <remarks>
/// Note: URLs in spans carry no query values and no connect-session id (<see cref="RequestRedaction"/>),
/// so neither an OAuth code nor a live connect link reaches a trace; labels on the product meter
/// are closed sets (outcomes, error codes), never ids or secrets.
/// </remarks>
public static class TelemetrySetup
{
    public const string OrleansMeter = "Microsoft.Orleans";
    public static readonly string[] OrleansSources = ["Microsoft.Orleans.Runtime", "Microsoft.Orleans.Application"];

    /// <summary>Traces are recorded: an OTLP endpoint is set, or <c>Telemetry:Tracing</c> is true (an exporter added in code).</summary>
    public static bool TracingEnabled(IConfiguration configuration) =>
        !string.IsNullOrWhiteSpace(configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]) || configuration.GetValue<bool>("Telemetry:Tracing");

    public static WebApplicationBuilder AddCalendarGrainsTelemetry(this WebApplicationBuilder builder)
    {
        builder.Logging.AddRequestLogRedaction();
        var otlp = !string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("calendargrains"))
            .WithMetrics(metrics => metrics
                .AddMeter(CalendarGrainsMetrics.MeterName, OrleansMeter)
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddPrometheusExporter());

        // Note: traces only when someone reads them. Without an exporter every request and every
        // grain call would still create and sample activities: pure cost on the token path.
        if (TracingEnabled(builder.Configuration))
        {
            telemetry.WithTracing(tracing => tracing
                .AddProcessor(new GrainIdRedactionProcessor())
                .AddSource(OrleansSources)
                .AddAspNetCoreInstrumentation(options =>
                {
                    options.Filter = context => !IsOperational(context.Request.Path);
                    options.EnrichWithHttpRequest = RedactServerSpan;
                })
                .AddHttpClientInstrumentation(options => options.EnrichWithHttpRequestMessage = RedactClientSpan));
        }

        if (otlp)
        {
            telemetry.UseOtlpExporter();
        }

        builder.Services.AddHostedService<ConnectionStatusGauge>();
        return builder;
    }

    public static WebApplication MapCalendarGrainsTelemetry(this WebApplication app)
    {
        app.MapPrometheusScrapingEndpoint("/metrics");
        return app;
    }

    /// <summary>A connect link's session id and any query value (an OAuth code, a state) never reach a span.</summary>
    private static void RedactServerSpan(Activity activity, HttpRequest request)
    {
        activity.SetTag("url.path", RequestRedaction.Path(request.Path));
        if (request.QueryString.HasValue)
        {
            activity.SetTag("url.query", RequestRedaction.Query(request.QueryString.Value));
        }
    }

    private static void RedactClientSpan(Activity activity, HttpRequestMessage request) =>
        activity.SetTag("url.full", RequestRedaction.Url(request.RequestUri));

    /// <summary>Probes and scrapes are not worth a trace each.</summary>
    private static bool IsOperational(PathString path) =>
        path.StartsWithSegments("/health") || path.StartsWithSegments("/metrics");
}
