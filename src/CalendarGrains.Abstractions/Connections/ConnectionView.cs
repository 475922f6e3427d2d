namespace CalendarGrains.Connections;

/// <summary>A connection as the API shows it. Never carries a token.</summary>
[GenerateSerializer, Immutable, Alias("cg.ConnectionView")]
public sealed record ConnectionView(
    [property: Id(0)] string Id,
    [property: Id(1)] string EndUserId,
    [property: Id(2)] string Provider,
    [property: Id(3)] ConnectionStatus Status,
    [property: Id(4)] IReadOnlyList<string> Scopes,
    [property: Id(5)] string? AccountEmail,
    [property: Id(6)] DateTimeOffset CreatedAt,
    [property: Id(7)] DateTimeOffset UpdatedAt,
    [property: Id(8)] DateTimeOffset? LastRefreshedAt,
    [property: Id(9)] DateTimeOffset? AccessTokenExpiresAt,
    [property: Id(10)] ConnectionError? LastError,
    [property: Id(11)] string? MetadataJson,
    [property: Id(12)] string TenantId,
    [property: Id(13)] IReadOnlyList<ConnectionStatusChange>? StatusHistory = null);

/// <summary>
/// One status change of a connection, for the console and support: when, to what, and why (a
/// stable code such as <c>created</c>, <c>reconnected</c>, or Google's error code); never a secret.
/// </summary>
[GenerateSerializer, Immutable, Alias("cg.ConnectionStatusChange")]
public sealed record ConnectionStatusChange(
    [property: Id(0)] ConnectionStatus Status,
    [property: Id(1)] DateTimeOffset At,
    [property: Id(2)] string? Reason);

/// <summary>The last failure talking to Google about this connection; <see cref="Code"/> is Google's error code.</summary>
[GenerateSerializer, Immutable, Alias("cg.ConnectionError")]
public sealed record ConnectionError(
    [property: Id(0)] string Code,
    [property: Id(1)] string Message,
    [property: Id(2)] DateTimeOffset At);

public static class Providers
{
    public const string Google = "google";
}
