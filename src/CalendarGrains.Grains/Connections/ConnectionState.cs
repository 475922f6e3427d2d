using CalendarGrains.Security;
using CalendarGrains.Webhooks;

namespace CalendarGrains.Connections;

/// <summary>
/// A connection as stored. Both tokens are sealed; the custom-credential secret is only a hash.
/// A deleted connection whose <c>connection.deleted</c> webhook is still owed stays as a tombstone
/// (<see cref="ConnectionStatus.Revoked"/>, no token material) until the outbox takes it, then is erased.
/// </summary>
[GenerateSerializer, Alias("cg.ConnectionState")]
public sealed class ConnectionState
{
    /// <summary>The most status changes <see cref="History"/> keeps.</summary>
    public const int MaxHistory = 20;

    /// <summary>Null until the connection exists.</summary>
    [Id(0)] public string? TenantId { get; set; }
    [Id(1)] public string EndUserId { get; set; } = "";
    [Id(2)] public ConnectionStatus Status { get; set; }
    [Id(3)] public List<string> Scopes { get; set; } = [];
    [Id(4)] public string? AccountEmail { get; set; }
    [Id(5)] public DateTimeOffset CreatedAt { get; set; }
    [Id(6)] public DateTimeOffset UpdatedAt { get; set; }
    [Id(7)] public DateTimeOffset? LastRefreshedAt { get; set; }
    [Id(8)] public EncryptedSecret? RefreshToken { get; set; }
    [Id(9)] public EncryptedSecret? AccessToken { get; set; }
    [Id(10)] public DateTimeOffset? AccessTokenExpiresAt { get; set; }
    [Id(11)] public ConnectionError? LastError { get; set; }
    [Id(12)] public string? MetadataJson { get; set; }
    [Id(13)] public string? ClientSecretHash { get; set; }

    /// <summary>
    /// Prefixes this incarnation's webhook ids (<c>{source}:{version}</c>). Minted when the connection
    /// is created: a connection id can come back after a delete (imports keep ids), a source cannot.
    /// </summary>
    [Id(14)] public string? EventSource { get; set; }

    /// <summary>Counts the webhooks of this incarnation: the version in their ids.</summary>
    [Id(15)] public long EventVersion { get; set; }

    /// <summary>Webhooks stored with their change and not yet taken by the tenant's outbox.</summary>
    [Id(16)] public List<OwedWebhook> OwedWebhooks { get; set; } = [];

    /// <summary>The last <see cref="MaxHistory"/> status changes, oldest first.</summary>
    [Id(17)] public List<ConnectionStatusChange> History { get; set; } = [];
}

/// <summary>The associated data each connection secret is sealed under.</summary>
public static class ConnectionSecretPurposes
{
    public static string RefreshToken(string connectionId) => $"connection/{connectionId}/refresh-token";

    public static string AccessToken(string connectionId) => $"connection/{connectionId}/access-token";
}

/// <summary>The ordered-index sets that list connections: per tenant, and per tenant and status.</summary>
public static class ConnectionIndexSets
{
    public static string All(string tenantId) => $"connections/{tenantId}";

    public static string ByStatus(string tenantId, ConnectionStatus status) => $"connections/{tenantId}/{status}";

    /// <summary>Every tenant's connections in one status: what the connections-by-status gauge counts.</summary>
    public static string Everywhere(ConnectionStatus status) => $"connections/*/{status}";
}
