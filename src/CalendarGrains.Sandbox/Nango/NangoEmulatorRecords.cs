using System.Text.Json.Nodes;

namespace CalendarGrains.Sandbox.Nango;

/// <summary>A connection to put in the emulator, as Nango would hold it after a user connected.</summary>
public sealed record NangoConnectionSeed(
    string ConnectionId,
    string ProviderConfigKey,
    string RefreshToken,
    string? AccessToken = null,
    DateTimeOffset? ExpiresAt = null,
    NangoSeedEndUser? EndUser = null,
    JsonObject? Metadata = null,
    string? Scope = null)
{
    public override string ToString() => $"NangoConnectionSeed({ProviderConfigKey}/{ConnectionId})";
}

public sealed record NangoSeedEndUser(string Id, string? Email = null, string? DisplayName = null);

/// <summary>What the emulator holds for a connection, without its tokens.</summary>
public sealed record NangoConnectionInfo(
    long Id,
    string ConnectionId,
    string ProviderConfigKey,
    string? EndUserId,
    JsonObject? Metadata,
    bool CredentialsBroken,
    DateTimeOffset CreatedAt,
    DateTimeOffset? LastFetchedAt);

public sealed record NangoEmulatorStats(
    int Connections,
    int BrokenConnections,
    long ListRequests,
    long GetRequests,
    long DeleteRequests,
    long MetadataWrites,
    long Imports,
    long Unauthorized);

/// <summary>A connection as the emulator stores it. Guarded by the emulator's lock.</summary>
internal sealed class StoredConnection
{
    public required long Id { get; init; }

    public required string ConnectionId { get; init; }

    public required string ProviderConfigKey { get; init; }

    public required string Provider { get; init; }

    public required string RefreshToken { get; set; }

    public required string AccessToken { get; set; }

    public required DateTimeOffset ExpiresAt { get; set; }

    public string Scope { get; set; } = "";

    public NangoSeedEndUser? EndUser { get; set; }

    public JsonObject? Metadata { get; set; }

    public bool Broken { get; set; }

    public required DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset UpdatedAt { get; set; }

    public DateTimeOffset? LastFetchedAt { get; set; }

    public NangoConnectionInfo Snapshot() =>
        new(Id, ConnectionId, ProviderConfigKey, EndUser?.Id, Metadata?.DeepClone().AsObject(), Broken, CreatedAt, LastFetchedAt);
}
