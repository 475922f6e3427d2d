using CalendarGrains.Sandbox.Google;

namespace CalendarGrains.Sandbox;

/// <summary>Registers and maps every emulator, each under <c>{prefix}/{provider}</c>.</summary>
public static class EmulatorEndpoints
{
    public static IServiceCollection AddEmulators(this IServiceCollection services)
    {
        services.AddGoogleEmulator();
        return services;
    }

    public static IEndpointRouteBuilder MapEmulators(this IEndpointRouteBuilder app, string prefix)
    {
        app.MapGoogleEmulator($"{prefix}/google");
        return app;
    }
}
