using System.Buffers;
using System.Diagnostics.CodeAnalysis;

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

    /// <summary>A tenant id as <see cref="NewTenantId"/> makes them.</summary>
    public static bool IsTenantId([NotNullWhen(true)] string? id) => IsNew(id, TenantPrefix);

    /// <summary>A connection id this service generated (an imported one may be anything plausible).</summary>
    public static bool IsConnectionId([NotNullWhen(true)] string? id) => IsNew(id, ConnectionPrefix);

    /// <summary>A connect session id as <see cref="NewConnectSessionId"/> makes them.</summary>
    public static bool IsConnectSessionId([NotNullWhen(true)] string? id) =>
        id is { Length: 3 + SessionIdLength } && id.StartsWith(ConnectSessionPrefix, StringComparison.Ordinal)
        && !id.AsSpan(ConnectSessionPrefix.Length).ContainsAnyExcept(UrlSafe);

    /// <summary>
    /// True when <paramref name="id"/> is <paramref name="prefix"/> and a lower-case ULID, as
    /// <see cref="New"/> makes them. Note: checked before any grain is asked, so an id nobody
    /// issued activates nothing (and costs no storage read).
    /// </summary>
    public static bool IsNew([NotNullWhen(true)] string? id, string prefix) =>
        id is not null && id.Length == prefix.Length + UlidLength && id.StartsWith(prefix, StringComparison.Ordinal)
        && !id.AsSpan(prefix.Length).ContainsAnyExcept(LowerCrockford);

    private const int UlidLength = 26;

    /// <summary>24 random bytes, base64url without padding.</summary>
    private const int SessionIdLength = 32;

    private static readonly SearchValues<char> LowerCrockford = SearchValues.Create("0123456789abcdefghjkmnpqrstvwxyz");

    private static readonly SearchValues<char> UrlSafe = SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_");
}
