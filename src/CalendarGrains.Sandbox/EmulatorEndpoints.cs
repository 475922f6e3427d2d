using CalendarGrains.Sandbox.Google;
using CalendarGrains.Sandbox.Nango;
using CalendarGrains.Sandbox.Vapi;

namespace CalendarGrains.Sandbox;

/// <summary>Registers and maps every emulator, each under <c>{prefix}/{provider}</c>.</summary>
public static class EmulatorEndpoints
{
    public static IServiceCollection AddEmulators(this IServiceCollection services)
    {
        services.AddGoogleEmulator();
        services.AddVapiEmulator();
        services.AddNangoEmulator();
        return services;
    }

    public static IEndpointRouteBuilder MapEmulators(this IEndpointRouteBuilder app, string prefix)
    {
        app.MapGoogleEmulator($"{prefix}/google");
        app.MapVapiEmulator($"{prefix}/vapi");
        app.MapNangoEmulator($"{prefix}/nango");
        return app;
    }
}
