using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace CalendarGrains.Silo.Nango;

// Nango's public API shapes (@nangohq/types 0.71: ApiPublicConnectionFull, ApiPublicConnection,
// ApiError). snake_case on the wire, nulls written as Nango writes them.

public sealed record NangoEndUser(
    string Id,
    string? DisplayName,
    string? Email,
    IReadOnlyDictionary<string, string>? Tags,
    NangoOrganization? Organization);

public sealed record NangoOrganization(string Id, string? DisplayName);

/// <summary>An active error on a connection; Nango points at its log, we have none (empty id).</summary>
public sealed record NangoActiveError(string Type, string LogId);

/// <summary><c>GET /connections/{id}</c>, and the body of <c>POST /connections</c>'s answer.</summary>
public sealed record NangoConnectionFull(
    long Id,
    string ConnectionId,
    string ProviderConfigKey,
    string Provider,
    IReadOnlyList<NangoActiveError> Errors,
    NangoEndUser? EndUser,
    IReadOnlyDictionary<string, string> Tags,
    JsonElement? Metadata,
    IReadOnlyDictionary<string, string> ConnectionConfig,
    string? WebhookUrlOverride,
    string CreatedAt,
    string UpdatedAt,
    string? LastFetchedAt,
    object Credentials);

/// <summary>One item of <c>GET /connections</c>.</summary>
public sealed record NangoConnectionSummary(
    long Id,
    string ConnectionId,
    string ProviderConfigKey,
    string Provider,
    IReadOnlyList<NangoActiveError> Errors,
    NangoEndUser? EndUser,
    IReadOnlyDictionary<string, string> Tags,
    JsonElement? Metadata,
    string Created);

public sealed record NangoConnectionList(IReadOnlyList<NangoConnectionSummary> Connections);

/// <summary>OAUTH2 credentials. Never a refresh token: it does not leave the connection grain.</summary>
public sealed record NangoOAuth2Credentials(string Type, string AccessToken, string ExpiresAt, NangoRawToken Raw)
{
    public override string ToString() => $"NangoOAuth2Credentials(expires {ExpiresAt})";
}

/// <summary>What Google's token endpoint answered, as Nango keeps it in <c>credentials.raw</c>.</summary>
public sealed record NangoRawToken(string AccessToken, int ExpiresIn, string Scope, string TokenType)
{
    public override string ToString() => "NangoRawToken(redacted)";
}

public sealed record NangoDeleted(bool Success);

/// <summary>Nango's <c>ApiError</c>: <c>{"error":{"code","message"?,"errors"?,"payload"?}}</c>.</summary>
public sealed record NangoError(NangoErrorBody Error);

public sealed record NangoErrorBody(
    string Code,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Message = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<NangoValidationError>? Errors = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] object? Payload = null);

/// <summary>A zod issue as Nango reports it: <c>{"code","message","path":[...]}</c>.</summary>
public sealed record NangoValidationError(string Code, string Message, IReadOnlyList<string> Path);

public static class NangoJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
    };

    public static IResult Ok<T>(T value, int status = StatusCodes.Status200OK) => Results.Json(value, Options, statusCode: status);

    public static IResult Error(int status, string code, string? message = null, IReadOnlyList<NangoValidationError>? errors = null, object? payload = null) =>
        Results.Json(new NangoError(new NangoErrorBody(code, message, errors, payload)), Options, statusCode: status);
}

/// <summary>Nango's timestamp forms and its numeric connection id.</summary>
public static class NangoFormats
{
    /// <summary>As <c>GET /connections/{id}</c> writes times: ISO 8601 with <c>+00:00</c>.</summary>
    public static string WithOffset(DateTimeOffset value) =>
        value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'+00:00'", CultureInfo.InvariantCulture);

    /// <summary>As JavaScript's <c>toISOString()</c> writes them (list <c>created</c>, <c>expires_at</c>).</summary>
    public static string Iso(DateTimeOffset value) =>
        value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    /// <summary>
    /// Nango's <c>id</c> is its database row number; ours is the connection id string. Clients get a
    /// number, stable for the connection (48 bits of its id's SHA-256), so the type they expect holds.
    /// </summary>
    public static long NumericId(string connectionId)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(connectionId), hash);
        long value = 0;
        for (var i = 0; i < 6; i++)
        {
            value = (value << 8) | hash[i];
        }

        return value + 1;
    }
}
