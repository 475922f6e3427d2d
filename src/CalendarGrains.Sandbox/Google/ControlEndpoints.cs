using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CalendarGrains.Sandbox.Google;

/// <summary>
/// <c>{prefix}/_emulator/...</c>: the knobs of <see cref="GoogleEmulator"/> over HTTP, for people using the
/// sandbox and for tests in other processes. Every change answers the resulting stats.
/// </summary>
internal static class ControlEndpoints
{
    public static void Map(RouteGroupBuilder group)
    {
        var control = group.MapGroup("/_emulator");
        control.MapGet("/stats", (GoogleEmulator emulator) => Stats(emulator));
        control.MapPost("/fail-next", FailNextAsync);
        control.MapPost("/latency", LatencyAsync);
        control.MapPost("/access-token-lifetime", AccessTokenLifetimeAsync);
        control.MapPost("/rotate-refresh-tokens", RotationAsync);
        control.MapPost("/clients", RegisterClientAsync);
        control.MapPost("/users/{email}/revoke", (string email, GoogleEmulator emulator) =>
            TypedResults.Json(new RevokeUserResponse(email, emulator.RevokeUser(email)), ControlJson.Default.RevokeUserResponse));
        control.MapPost("/reset", (bool? clients, GoogleEmulator emulator) =>
        {
            emulator.Reset(forgetClients: clients == true);
            return Stats(emulator);
        });
    }

    private static async Task<IResult> FailNextAsync(HttpRequest request, GoogleEmulator emulator)
    {
        var body = await ReadAsync(request, ControlJson.Default.FailNextRequest);
        if (body is not { Count: >= 0, Status: >= 400 and <= 599 })
        {
            return Invalid("Send {\"count\": n >= 0, \"status\": 400..599, \"error\"?: \"...\", \"errorDescription\"?: \"...\"}.");
        }

        emulator.FailNext(body.Count.Value, body.Status.Value, body.Error, body.ErrorDescription);
        return Stats(emulator);
    }

    private static async Task<IResult> LatencyAsync(HttpRequest request, GoogleEmulator emulator)
    {
        var body = await ReadAsync(request, ControlJson.Default.LatencyRequest);
        if (body is not { Milliseconds: >= 0 and <= 600_000 })
        {
            return Invalid("Send {\"milliseconds\": 0..600000}.");
        }

        emulator.Latency = TimeSpan.FromMilliseconds(body.Milliseconds.Value);
        return Stats(emulator);
    }

    private static async Task<IResult> AccessTokenLifetimeAsync(HttpRequest request, GoogleEmulator emulator)
    {
        var body = await ReadAsync(request, ControlJson.Default.AccessTokenLifetimeRequest);
        if (body is not { Seconds: >= 1 and <= 86_400 })
        {
            return Invalid("Send {\"seconds\": 1..86400}.");
        }

        emulator.AccessTokenLifetime = TimeSpan.FromSeconds(body.Seconds.Value);
        return Stats(emulator);
    }

    private static async Task<IResult> RotationAsync(HttpRequest request, GoogleEmulator emulator)
    {
        var body = await ReadAsync(request, ControlJson.Default.RotationRequest);
        if (body?.Enabled is not { } enabled)
        {
            return Invalid("Send {\"enabled\": true|false}.");
        }

        emulator.RotateRefreshTokens = enabled;
        return Stats(emulator);
    }

    private static async Task<IResult> RegisterClientAsync(HttpRequest request, GoogleEmulator emulator)
    {
        var body = await ReadAsync(request, ControlJson.Default.RegisterClientRequest);
        if (body is not { ClientId.Length: > 0, ClientSecret.Length: > 0 })
        {
            return Invalid("Send {\"clientId\": \"...\", \"clientSecret\": \"...\", \"redirectUris\"?: [\"...\"]}.");
        }

        emulator.RegisterClient(body.ClientId, body.ClientSecret, body.RedirectUris ?? []);
        return Stats(emulator);
    }

    private static JsonHttpResult<GoogleEmulatorStats> Stats(GoogleEmulator emulator) =>
        TypedResults.Json(emulator.GetStats(), ControlJson.Default.GoogleEmulatorStats);

    internal static JsonHttpResult<ControlError> Invalid(string detail) =>
        TypedResults.Json(new ControlError("invalid_request", detail), ControlJson.Default.ControlError, statusCode: StatusCodes.Status400BadRequest);

    /// <summary>Reads a body with the emulator's own contract; null when it is missing or not that JSON.</summary>
    internal static async Task<T?> ReadAsync<T>(HttpRequest request, JsonTypeInfo<T> type)
        where T : class
    {
        try
        {
            return await JsonSerializer.DeserializeAsync(request.Body, type, request.HttpContext.RequestAborted);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
