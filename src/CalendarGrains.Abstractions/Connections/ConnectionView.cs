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
    [property: Id(12)] string TenantId);

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
