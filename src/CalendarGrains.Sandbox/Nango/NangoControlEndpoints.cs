using System.Text.Json;
using System.Text.Json.Nodes;

namespace CalendarGrains.Sandbox.Nango;

/// <summary>
/// <c>{prefix}/_emulator/...</c>: the emulator's own knobs (camelCase JSON, no key), for people using
/// the sandbox and tests in other processes. The same as <see cref="NangoEmulator"/>'s methods.
/// </summary>
internal static class NangoControlEndpoints
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static void Map(RouteGroupBuilder control)
    {
        control.MapGet("/stats", (NangoEmulator nango) => Results.Json(nango.GetStats(), Json));
        control.MapGet("/connections", (NangoEmulator nango) => Results.Json(nango.Connections(), Json));
        control.MapPost("/secret-keys", (SecretKeyRequest body, NangoEmulator nango) => Guarded(nango, () => nango.AddSecretKey(body.SecretKey!)));
        control.MapPost("/integrations", (IntegrationRequest body, NangoEmulator nango) =>
            Guarded(nango, () => nango.AddIntegration(body.ProviderConfigKey!, body.Provider ?? body.ProviderConfigKey!)));
        control.MapPost("/connections", (SeedRequest body, NangoEmulator nango) => Guarded(nango, () => nango.AddConnection(new NangoConnectionSeed(
            body.ConnectionId!, body.ProviderConfigKey ?? NangoEmulator.GoogleCalendar, body.RefreshToken!, body.AccessToken, body.ExpiresAt,
            body.EndUserId is null ? null : new NangoSeedEndUser(body.EndUserId, body.EndUserEmail, body.EndUserDisplayName), body.Metadata, body.Scope))));
        control.MapPost("/connections/{connectionId}/break", (string connectionId, string? providerConfigKey, NangoEmulator nango) =>
            Guarded(nango, () => nango.BreakCredentials(connectionId, providerConfigKey ?? NangoEmulator.GoogleCalendar)));
        control.MapPost("/reset", (NangoEmulator nango) => Guarded(nango, nango.Reset));
    }

    /// <summary>Every change answers the stats; a bad value is the caller's mistake: 400 with the reason.</summary>
    private static IResult Guarded(NangoEmulator nango, Action change)
    {
        try
        {
            change();
            return Results.Json(nango.GetStats(), Json);
        }
        catch (Exception exception) when (exception is ArgumentException or KeyNotFoundException)
        {
            return Results.Json(new { error = "invalid_request", detail = exception.Message }, Json, statusCode: StatusCodes.Status400BadRequest);
        }
    }

    private sealed record SecretKeyRequest(string? SecretKey);

    private sealed record IntegrationRequest(string? ProviderConfigKey, string? Provider);

    private sealed record SeedRequest(
        string? ConnectionId,
        string? ProviderConfigKey,
        string? RefreshToken,
        string? AccessToken,
        DateTimeOffset? ExpiresAt,
        string? EndUserId,
        string? EndUserEmail,
        string? EndUserDisplayName,
        JsonObject? Metadata,
        string? Scope);
}
