using CalendarGrains.Security;

namespace CalendarGrains.Connections;

/// <summary>A connection as stored. Both tokens are sealed; the custom-credential secret is only a hash.</summary>
[GenerateSerializer, Alias("cg.ConnectionState")]
public sealed class ConnectionState
{
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
