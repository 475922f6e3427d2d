using CalendarGrains.Silo.Auth;
using CalendarGrains.Silo.Calls;
using CalendarGrains.Silo.Connections;
using CalendarGrains.Silo.Http;
using CalendarGrains.Silo.Nango;
using CalendarGrains.Silo.Operations;
using CalendarGrains.Silo.PhoneNumbers;
using CalendarGrains.Silo.Telemetry;
using CalendarGrains.Silo.Tenants;
using CalendarGrains.Silo.Vapi;
using CalendarGrains.Silo.WebConsole;
using Orleans.Dashboard;

namespace CalendarGrains.Silo.Hosting;

/// <summary>Composes the process: one silo and the HTTP API, a member of a Redis cluster (or, in the sandbox host, in memory).</summary>
public static class CalendarGrainsApp
{
    /// <summary>The Orleans dashboard, for the admin key (a browser is asked for it as a Basic password).</summary>
    public const string DashboardPath = "/dashboard";

    /// <summary>The production silo: Redis mode only.</summary>
    /// <param name="args">Command-line arguments (standard .NET configuration).</param>
    /// <param name="configure">A last say over the builder, for tests (e.g. a fake clock).</param>
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null) =>
        Build(args, extension: null, configure);

    /// <param name="args">Command-line arguments (standard .NET configuration).</param>
    /// <param name="extension">What an embedding host adds (the sandbox host); null for the production silo.</param>
    /// <param name="configure">A last say over the builder, for tests (e.g. a fake clock).</param>
    public static WebApplication Build(string[] args, IHostExtension? extension, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        var mode = ServiceMode.From(builder.Configuration, sandboxHost: extension is not null);
        extension?.PrepareConfiguration(builder.Configuration, mode);

        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = ProblemDetailsSetup.MaxRequestBodyBytes);
        builder.Services.AddProblemResponses();
        builder.Services.AddValidation();
        builder.Services.AddSingleton<Validation.RequestValidation>();
        builder.Services.AddApiKeyAuth();
        builder.Services.AddRequestRateLimiting();
        builder.Services.AddCalendarGrainsDataProtection(mode, builder.Configuration);
        builder.Services.AddConsole();
        builder.Services.AddCalendarGrainsCore(mode, builder.Configuration);
        builder.Services.AddOperations(clustered: mode.UsesRedis);
        builder.Services.AddConnectionServices();
        builder.Services.AddCallServices();
        builder.AddCalendarGrainsSilo(mode);
        builder.AddCalendarGrainsTelemetry();
        extension?.AddServices(builder, mode);

        configure?.Invoke(builder);

        var app = builder.Build();
        app.UseProblemResponses();
        app.UseRateLimiter();
        app.UseNangoWebSockets();
        app.UseConsoleProtections();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseAntiforgery();
        app.MapOperationsApi();
        app.MapCalendarGrainsTelemetry();
        app.MapClusterApi();
        app.MapOrleansDashboard(routePrefix: DashboardPath).RequireAuthorization(AuthPolicies.Admin).ExcludeFromDescription();
        app.MapTenantsApi();
        app.MapConnectApi();
        app.MapConnectionsApi();
        app.MapOAuthTokenApi();
        app.MapVapiToolsApi();
        app.MapPhoneNumbersApi();
        app.MapCallsApi();
        app.MapVapiEventsApi();
        app.MapNangoApi();
        app.MapConsole();
        extension?.MapEndpoints(app, mode);
        return app;
    }
}
