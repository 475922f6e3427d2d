namespace CalendarGrains.Sandbox.Google;

/// <summary>Google's OAuth endpoints (placeholder until the emulator lands).</summary>
public static class GoogleEmulatorApi
{
    public static IServiceCollection AddGoogleEmulator(this IServiceCollection services) =>
        services.AddSingleton<GoogleEmulator>();

    public static RouteGroupBuilder MapGoogleEmulator(this IEndpointRouteBuilder app, string prefix)
    {
        var group = app.MapGroup(prefix).ExcludeFromDescription();
        group.MapGet("/_emulator/stats", (GoogleEmulator emulator) => TypedResults.Ok(new { clients = emulator.ClientCount }));
        return group;
    }
}
