using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace CalendarGrains.Sandbox.Nango;

// Nango's public API shapes as its server writes them (packages/server formatters; @nangohq/types 0.71).

internal sealed record WireEndUser(string Id, string? DisplayName, string? Email, Dictionary<string, string>? Tags, object? Organization);

internal sealed record WireActiveError(string Type, string LogId);

internal sealed record WireConnectionSummary(
    long Id, string ConnectionId, string ProviderConfigKey, string Provider, IReadOnlyList<WireActiveError> Errors,
    WireEndUser? EndUser, Dictionary<string, string> Tags, JsonObject? Metadata, string Created);

internal sealed record WireConnectionFull(
    long Id, string ConnectionId, string ProviderConfigKey, string Provider, IReadOnlyList<WireActiveError> Errors,
    WireEndUser? EndUser, Dictionary<string, string> Tags, JsonObject? Metadata, Dictionary<string, string> ConnectionConfig,
    string? WebhookUrlOverride, string CreatedAt, string UpdatedAt, string? LastFetchedAt, object Credentials);

internal sealed record WireConnectionList(IReadOnlyList<WireConnectionSummary> Connections);

internal sealed record WireError(WireErrorBody Error);

internal sealed record WireErrorBody(
    string Code,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Message = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] object? Errors = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] object? Payload = null);

internal static class NangoWire
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web) { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    private static readonly IReadOnlyList<WireActiveError> NoErrors = [];

    public static IResult Json<T>(T value, int status = StatusCodes.Status200OK) => Results.Json(value, Options, statusCode: status);

    public static IResult Error(int status, string code, string? message = null, object? errors = null, object? payload = null) =>
        Results.Json(new WireError(new WireErrorBody(code, message, errors, payload)), Options, statusCode: status);

    public static IResult InvalidQuery(string name, string message) =>
        Error(StatusCodes.Status400BadRequest, "invalid_query_params", errors: new[] { new { code = "invalid_type", message, path = new[] { name } } });

    public static IResult InvalidBody(string name, string message) =>
        Error(StatusCodes.Status400BadRequest, "invalid_body", errors: new[] { new { code = "invalid_type", message, path = new[] { name } } });

    public static WireConnectionSummary Summary(StoredView c) => new(
        c.Id, c.ConnectionId, c.ProviderConfigKey, c.Provider, ErrorsOf(c), EndUserOf(c), [], c.Metadata, Iso(c.CreatedAt));

    /// <param name="c">The connection.</param>
    /// <param name="credentials">Include the credentials (else <c>{}</c>, as in an error payload).</param>
    /// <param name="withRefreshToken">Include the refresh token (<c>refresh_token=true</c>).</param>
    public static WireConnectionFull Full(StoredView c, bool credentials, bool withRefreshToken) => new(
        c.Id, c.ConnectionId, c.ProviderConfigKey, c.Provider, ErrorsOf(c), EndUserOf(c), [], c.Metadata, [], null,
        WithOffset(c.CreatedAt), WithOffset(c.UpdatedAt), c.LastFetchedAt is { } fetched ? WithOffset(fetched) : null,
        credentials ? Credentials(c.Credentials, withRefreshToken) : new Dictionary<string, object?>());

    private static Dictionary<string, object?> Credentials(StoredCredentials credentials, bool withRefreshToken)
    {
        var raw = new Dictionary<string, object?>
        {
            ["access_token"] = credentials.AccessToken,
            ["expires_in"] = 3599,
            ["scope"] = credentials.Scope,
            ["token_type"] = "Bearer",
        };
        var result = new Dictionary<string, object?>
        {
            ["type"] = "OAUTH2",
            ["access_token"] = credentials.AccessToken,
            ["expires_at"] = Iso(credentials.ExpiresAt),
            ["raw"] = raw,
        };
        if (withRefreshToken)
        {
            raw["refresh_token"] = credentials.RefreshToken;
            result["refresh_token"] = credentials.RefreshToken;
        }

        return result;
    }

    private static IReadOnlyList<WireActiveError> ErrorsOf(StoredView c) =>
        c.Broken ? [new WireActiveError("auth", "log-" + c.Id.ToString(CultureInfo.InvariantCulture))] : NoErrors;

    private static WireEndUser? EndUserOf(StoredView c) =>
        c.EndUser is { } user ? new WireEndUser(user.Id, user.DisplayName, user.Email, null, null) : null;

    private static string Iso(DateTimeOffset value) => value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    private static string WithOffset(DateTimeOffset value) => value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'+00:00'", CultureInfo.InvariantCulture);
}
