using CalendarGrains.Sandbox.Google.Calendar;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace CalendarGrains.Sandbox.Google;

/// <summary>Registers the Google emulator and maps Google's OAuth endpoints and Calendar API under a prefix.</summary>
public static class GoogleEmulatorApi
{
    /// <remarks>
    /// The clock is added with TryAdd: a host (a test) that registered its own <see cref="TimeProvider"/>,
    /// e.g. a FakeTimeProvider, keeps it, and the emulator's expiries follow that clock.
    /// </remarks>
    public static IServiceCollection AddGoogleEmulator(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<GoogleEmulator>();
        services.TryAddSingleton<GoogleCalendarEmulator>();
        return services;
    }

    /// <summary>
    /// Maps, relative to <paramref name="prefix"/>: <c>/o/oauth2/v2/auth</c> (accounts.google.com),
    /// <c>/token</c> and <c>/revoke</c> (oauth2.googleapis.com), <c>/v1/userinfo</c>
    /// (openidconnect.googleapis.com), <c>/oauth2/v3/certs</c> and <c>/calendar/v3/...</c>
    /// (www.googleapis.com), and the control surfaces under <c>/_emulator</c> and <c>/_emulator/calendar</c>.
    /// </summary>
    public static RouteGroupBuilder MapGoogleEmulator(this IEndpointRouteBuilder app, string prefix)
    {
        // Note: none of this is our service's API, so it stays out of its OpenAPI document, and it is
        // anonymous even where the host requires authentication by default (Google's endpoints are public).
        var group = app.MapGroup(prefix).ExcludeFromDescription().AllowAnonymous();
        group.MapGet("/o/oauth2/v2/auth", AuthorizeEndpoint.Show);
        group.MapPost("/o/oauth2/v2/auth", AuthorizeEndpoint.DecideAsync);
        group.MapPost("/token", TokenEndpoint.HandleAsync);
        group.MapPost("/revoke", RevokeEndpoint.HandleAsync);
        group.MapGet("/v1/userinfo", UserInfoEndpoint.Handle);
        group.MapGet("/oauth2/v3/certs", (GoogleEmulator emulator) =>
            TypedResults.Json(emulator.PublicKeys(), GoogleWireJson.Default.JsonWebKeySet));
        ControlEndpoints.Map(group);
        CalendarApi.Map(group);
        return group;
    }
}
