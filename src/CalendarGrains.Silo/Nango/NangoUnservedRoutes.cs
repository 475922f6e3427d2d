namespace CalendarGrains.Silo.Nango;

/// <summary>
/// Nango's public API is wider than what maps to a Google Calendar connection store (syncs,
/// actions, records, functions, providers...). Its paths that are not served here answer 404 in
/// Nango's error shape, so a Nango client reports "not found" instead of choking on problem+json.
/// </summary>
/// <remarks>
/// Note: catch-all routes have the lowest precedence, so every served route still wins; a served
/// path asked with another method (e.g. <c>PATCH /connections/{id}</c>) lands here too, as a 404.
/// <c>/v1</c> and <c>/oauth2</c> are ours and keep problem+json; <c>/proxy</c> serves every method Nango's client sends.
/// </remarks>
public static class NangoUnservedRoutes
{
    private static readonly string[] Prefixes =
    [
        "/action", "/api-auth", "/app-auth", "/auth", "/cli", "/config", "/connect", "/connection", "/connections",
        "/environment", "/environment-variables", "/environments", "/flow", "/functions", "/integrations", "/mcp",
        "/oauth", "/providers", "/records", "/scripts", "/sync", "/syncs", "/webhook",
    ];

    public static IEndpointRouteBuilder MapNangoUnservedRoutes(this IEndpointRouteBuilder app)
    {
        foreach (var prefix in Prefixes)
        {
            app.Map(prefix + "/{**rest}", NotServed).AllowAnonymous().ExcludeFromDescription();
        }

        return app;
    }

    private static IResult NotServed(HttpRequest request) => NangoJson.Error(StatusCodes.Status404NotFound, "not_found",
        $"{request.Method} {request.Path} is not served: this service implements the part of Nango's API that concerns Google Calendar connections (see the README, 'Moving from Nango').");
}
