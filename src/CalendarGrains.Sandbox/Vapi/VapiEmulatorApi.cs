using CalendarGrains.Sandbox.Vapi.Calls;
using CalendarGrains.Sandbox.Vapi.Controls;
using CalendarGrains.Sandbox.Vapi.Webhooks;
using CalendarGrains.Sandbox.Vapi.Wire;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace CalendarGrains.Sandbox.Vapi;

/// <summary>
/// Vapi's HTTP API (the part CalendarGrains uses), served under a prefix: <c>/vapi</c> standalone,
/// <c>/sandbox/vapi</c> inside the service. Point a Vapi client's base URL at the prefix.
/// </summary>
public static class VapiEmulatorApi
{
    public static IServiceCollection AddVapiEmulator(this IServiceCollection services)
    {
        // TryAdd: a test registers a FakeTimeProvider first and drives the calls' clock with it.
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<VapiEmulator>();
        services.AddHttpClient(WebhookDispatcher.HttpClientName, client => client.Timeout = Timeout.InfiniteTimeSpan)
            // Note: Vapi sends each server message once. A host-wide default handler (e.g. a standard
            // resilience handler) would retry them and hide the failures the tests count.
            .ConfigureAdditionalHttpMessageHandlers((handlers, _) => handlers.Clear());
        return services;
    }

    public static RouteGroupBuilder MapVapiEmulator(this IEndpointRouteBuilder app, string prefix)
    {
        // The emulator is not CalendarGrains' API: none of it belongs in the service's OpenAPI document.
        var group = app.MapGroup(prefix).ExcludeFromDescription();
        group.MapVapiCallEndpoints();
        group.MapGroup("/_emulator").MapVapiControlEndpoints();

        // Vapi (Express) answers a route it does not have with a JSON 404, also for a known path with another method.
        group.MapFallback("{**path}", (HttpContext context, string? path) =>
            VapiErrors.NotFound($"Cannot {context.Request.Method} /{path}"));
        return group;
    }
}
