using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace CalendarGrains.Sandbox.Nango;

/// <summary>
/// Nango's connection API, served under a prefix: <c>/nango</c> standalone, <c>/sandbox/nango</c>
/// inside the service. Point a Nango client's host (or the importer's <c>--nango-url</c>) at the prefix.
/// </summary>
public static class NangoEmulatorApi
{
    private static readonly HashSet<string> ListQueryKeys = new(StringComparer.Ordinal)
    {
        "connectionId", "search", "endUserId", "integrationId", "endUserOrganizationId", "limit", "page",
    };

    public static IServiceCollection AddNangoEmulator(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<NangoEmulator>();
        return services;
    }

    public static RouteGroupBuilder MapNangoEmulator(this IEndpointRouteBuilder app, string prefix)
    {
        // Not CalendarGrains' API: none of it belongs in the service's OpenAPI document; anonymous to the
        // host's authorization (the emulator checks Nango's secret keys itself).
        var group = app.MapGroup(prefix).ExcludeFromDescription().AllowAnonymous();
        var api = group.MapGroup("").AddEndpointFilter(RequireSecretKeyAsync);
        foreach (var root in (string[])["/connections", "/connection"])
        {
            api.MapGet(root, List);
            api.MapGet(root + "/{connectionId}", Get);
            api.MapDelete(root + "/{connectionId}", Delete);
            api.MapPost(root + "/metadata", (HttpRequest request, NangoEmulator nango) => WriteMetadataAsync(request, nango, merge: false));
            api.MapPatch(root + "/metadata", (HttpRequest request, NangoEmulator nango) => WriteMetadataAsync(request, nango, merge: true));
        }

        api.MapPost("/connections", ImportAsync);
        NangoControlEndpoints.Map(group.MapGroup("/_emulator"));
        return group;
    }

    /// <summary>Nango's secret-key check and its three 401 answers.</summary>
    private static async ValueTask<object?> RequireSecretKeyAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var nango = context.HttpContext.RequestServices.GetRequiredService<NangoEmulator>();
        var header = context.HttpContext.Request.Headers.Authorization.ToString();
        var (code, message) = header.Length == 0
            ? ("missing_auth_header", "Authentication failed. The request is missing the Authorization header.")
            : !header.StartsWith("Bearer ", StringComparison.Ordinal) || header.Length == "Bearer ".Length
                ? ("malformed_auth_header", "Authentication failed. The Authorization header is malformed.")
                : nango.IsSecretKey(header["Bearer ".Length..])
                    ? (null, null)
                    : ("unknown_account", "Authentication failed. The provided authorization header does not match any account.");
        if (code is null)
        {
            return await next(context);
        }

        nango.CountUnauthorized();
        return NangoWire.Error(StatusCodes.Status401Unauthorized, code, message, payload: new Dictionary<string, object>());
    }

    private static IResult List(HttpRequest request, NangoEmulator nango)
    {
        var query = request.Query;
        if (query.Keys.FirstOrDefault(key => !ListQueryKeys.Contains(key) && !key.StartsWith("tags[", StringComparison.Ordinal)) is { } unknown)
        {
            return NangoWire.Error(StatusCodes.Status400BadRequest, "invalid_query_params",
                errors: new[] { new { code = "unrecognized_keys", message = $"Unrecognized key: \"{unknown}\"", path = Array.Empty<string>() } });
        }

        if (!TryInt(query, "limit", 1, 2000, 10_000, out var limit) || !TryInt(query, "page", 0, int.MaxValue, 0, out var page))
        {
            return NangoWire.InvalidQuery(query.ContainsKey("page") ? "page" : "limit", "Invalid input: expected number in range");
        }

        var integrationIds = Value(query, "integrationId")?.Split(',').Select(id => id.Trim()).ToList();
        var filter = new NangoListFilter(Value(query, "connectionId"), Value(query, "endUserId"), integrationIds, Value(query, "search"), limit, page);
        return NangoWire.Json(new WireConnectionList([.. nango.List(filter).Select(NangoWire.Summary)]));
    }

    private static IResult Get(string connectionId, HttpRequest request, NangoEmulator nango)
    {
        var providerConfigKey = Value(request.Query, "provider_config_key");
        if (providerConfigKey is null)
        {
            return NangoWire.InvalidQuery("provider_config_key", "Invalid input: expected string, received undefined");
        }

        if (!nango.HasIntegration(providerConfigKey))
        {
            return NangoWire.Error(StatusCodes.Status400BadRequest, "unknown_provider_config", "Provider does not exists");
        }

        var connection = nango.Read(providerConfigKey, connectionId);
        if (connection is null)
        {
            return NangoWire.Error(StatusCodes.Status404NotFound, "not_found", "Failed to find connection");
        }

        if (connection.Broken)
        {
            return NangoWire.Error(StatusCodes.Status424FailedDependency, "invalid_credentials", "The refresh limit has been reached for this connection.",
                payload: new Dictionary<string, object> { ["connection"] = NangoWire.Full(connection, credentials: false, withRefreshToken: false) });
        }

        var withRefreshToken = string.Equals(Value(request.Query, "refresh_token"), "true", StringComparison.OrdinalIgnoreCase);
        return NangoWire.Json(NangoWire.Full(connection, credentials: true, withRefreshToken));
    }

    private static IResult Delete(string connectionId, HttpRequest request, NangoEmulator nango)
    {
        var providerConfigKey = Value(request.Query, "provider_config_key");
        if (providerConfigKey is null)
        {
            return NangoWire.InvalidQuery("provider_config_key", "Invalid input: expected string, received undefined");
        }

        return nango.Delete(providerConfigKey, connectionId)
            ? NangoWire.Json(new { success = true })
            : NangoWire.Error(StatusCodes.Status400BadRequest, "unknown_connection");
    }

    private static async Task<IResult> WriteMetadataAsync(HttpRequest request, NangoEmulator nango, bool merge)
    {
        var body = await ReadObjectAsync(request);
        var ids = body?["connection_id"] switch
        {
            JsonValue one when one.TryGetValue<string>(out var id) => [id],
            JsonArray many when many.All(item => item is JsonValue value && value.TryGetValue<string>(out _)) => many.Select(item => item!.GetValue<string>()).ToList(),
            _ => null as List<string>,
        };
        var providerConfigKey = body?["provider_config_key"] is JsonValue key && key.TryGetValue<string>(out var text) ? text : null;
        if (ids is not { Count: > 0 } || providerConfigKey is null || body!["metadata"] is not JsonObject metadata)
        {
            return NangoWire.InvalidBody("metadata", "Send {\"connection_id\": string | string[], \"provider_config_key\": string, \"metadata\": {...}}.");
        }

        var unknown = nango.WriteMetadata(providerConfigKey, ids, metadata, merge);
        if (unknown is not null)
        {
            return NangoWire.Error(StatusCodes.Status404NotFound, "unknown_connection",
                $"Connection with connection id {unknown} and provider config key {providerConfigKey} not found. Please make sure the connection exists in the Nango dashboard");
        }

        return Results.Json(body, NangoWire.Options, statusCode: merge ? StatusCodes.Status200OK : StatusCodes.Status201Created);
    }

    /// <summary><c>POST /connections</c> for OAUTH2 credentials: how a person seeds the sandbox with Nango's own API.</summary>
    private static async Task<IResult> ImportAsync(HttpRequest request, NangoEmulator nango)
    {
        var body = await ReadObjectAsync(request);
        var providerConfigKey = Text(body, "provider_config_key");
        if (body?["credentials"] is not JsonObject credentials || providerConfigKey is null)
        {
            return NangoWire.InvalidBody("credentials", "Send {\"provider_config_key\", \"connection_id\"?, \"credentials\": {\"type\": \"OAUTH2\", ...}, ...}.");
        }

        if (!nango.HasIntegration(providerConfigKey))
        {
            return NangoWire.Error(StatusCodes.Status404NotFound, "not_found", "Integration does not exist");
        }

        if (Text(credentials, "type") != "OAUTH2" || Text(credentials, "access_token") is not { } accessToken)
        {
            return NangoWire.Error(StatusCodes.Status400BadRequest, "invalid_body", "The emulator imports OAUTH2 credentials with an access_token.");
        }

        var endUser = body["end_user"] is JsonObject user && Text(user, "id") is { } endUserId
            ? new NangoSeedEndUser(endUserId, Text(user, "email"), Text(user, "display_name"))
            : null;
        var expiresAt = Text(credentials, "expires_at") is { } expires && DateTimeOffset.TryParse(expires, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) ? at : (DateTimeOffset?)null;
        var stored = nango.Import(new NangoConnectionSeed(
            Text(body, "connection_id") ?? Guid.NewGuid().ToString(),
            providerConfigKey,
            Text(credentials, "refresh_token") ?? "",
            accessToken,
            expiresAt,
            endUser,
            body["metadata"] as JsonObject));
        return NangoWire.Json(NangoWire.Full(stored, credentials: true, withRefreshToken: true), StatusCodes.Status201Created);
    }

    private static async Task<JsonObject?> ReadObjectAsync(HttpRequest request)
    {
        try
        {
            return await JsonNode.ParseAsync(request.Body, cancellationToken: request.HttpContext.RequestAborted) as JsonObject;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string? Text(JsonObject? body, string name) =>
        body?[name] is JsonValue value && value.TryGetValue<string>(out var text) && text.Length > 0 ? text : null;

    private static string? Value(IQueryCollection query, string name) =>
        query.TryGetValue(name, out var value) && value.ToString().Length > 0 ? value.ToString() : null;

    private static bool TryInt(IQueryCollection query, string name, int min, int max, int fallback, out int value)
    {
        value = fallback;
        return Value(query, name) is not { } text
            || (int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out value) && value >= min && value <= max);
    }
}
