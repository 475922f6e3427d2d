namespace CalendarGrains.Connections;

/// <summary>
/// Stores a user's grant on a connection: after a consent, or an import. The refresh token
/// travels once, from the code exchange or the importer, to the grain that seals it.
/// </summary>
[GenerateSerializer, Immutable, Alias("cg.ConnectCommand")]
public sealed record ConnectCommand(
    [property: Id(0)] string TenantId,
    [property: Id(1)] string EndUserId,
    [property: Id(2)] string RefreshToken,
    [property: Id(3)] string? AccessToken,
    [property: Id(4)] DateTimeOffset? AccessTokenExpiresAt,
    [property: Id(5)] IReadOnlyList<string> Scopes,
    [property: Id(6)] string? AccountEmail,
    [property: Id(7)] string? MetadataJson,
    [property: Id(8)] bool ValidateByRefresh = false)
{
    public override string ToString() => $"ConnectCommand(tenant {TenantId}, end user {EndUserId})";
}

/// <summary>What connecting did.</summary>
[GenerateSerializer, Immutable, Alias("cg.ConnectOutcome")]
public sealed record ConnectOutcome(
    [property: Id(0)] ConnectResult Result,
    [property: Id(1)] ConnectionView? Connection,
    [property: Id(2)] ConnectionError? Error = null);

public enum ConnectResult
{
    /// <summary>A new connection.</summary>
    Created,

    /// <summary>The same connection (same id) with a new grant, active again.</summary>
    Reconnected,

    /// <summary>The id belongs to another tenant or end user; nothing changed.</summary>
    Conflict,

    /// <summary>The refresh token failed its validation refresh; nothing was stored. See the error.</summary>
    Rejected,
}
