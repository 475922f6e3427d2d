namespace CalendarGrains.Common;

/// <summary>
/// Ids are a type prefix and a lower-case ULID: unique without coordination, and their ordinal
/// order is their creation order, which the list indexes page by.
/// </summary>
public static class Ids
{
    public const string TenantPrefix = "ten_";
    public const string ApiKeyPrefix = "key_";
    public const string ConnectionPrefix = "conn_";
    public const string ConnectSessionPrefix = "cs_";

    public static string NewTenantId(TimeProvider time) => New(TenantPrefix, time);

    public static string NewApiKeyId(TimeProvider time) => New(ApiKeyPrefix, time);

    public static string NewConnectionId(TimeProvider time) => New(ConnectionPrefix, time);

    /// <summary>Connect sessions are bearer links: their ids are random, not time-ordered.</summary>
    public static string NewConnectSessionId() => ConnectSessionPrefix + SecretGenerator.RandomUrlSafe(24);

    public static string New(string prefix, TimeProvider time) =>
        prefix + System.Ulid.NewUlid(time.GetUtcNow()).ToString().ToLowerInvariant();
}
