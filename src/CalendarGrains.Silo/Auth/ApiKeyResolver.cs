using System.Collections.Concurrent;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using CalendarGrains.ApiKeys;
using CalendarGrains.Common;

namespace CalendarGrains.Silo.Auth;

/// <summary>
/// Resolves a tenant API key to its owner and a ready-made principal. A warm key costs one
/// dictionary lookup: no SHA-256, no grain call, no allocation. A revocation evicts the key on
/// every silo at once (see <see cref="IApiKeyRevocationBus"/>); entries also expire after a few
/// minutes, in case a revocation message was lost.
/// </summary>
/// <remarks>
/// Note: warm entries are keyed by the presented key itself, so this process's memory holds the
/// keys it has recently seen (as it must while serving their requests anyway). Nothing of it is
/// persisted or logged; storage only ever sees the hash.
/// </remarks>
public sealed class ApiKeyResolver
{
    private static readonly long KnownKeyLifetimeMs = (long)TimeSpan.FromMinutes(5).TotalMilliseconds;
    private static readonly long UnknownKeyLifetimeMs = (long)TimeSpan.FromSeconds(30).TotalMilliseconds;
    private static readonly long TombstoneLifetimeMs = (long)TimeSpan.FromMinutes(10).TotalMilliseconds;
    private const int MaxEntries = 100_000;

    private readonly ConcurrentDictionary<string, Entry> _byKey;
    private readonly ConcurrentDictionary<string, Entry>.AlternateLookup<ReadOnlySpan<char>> _byKeySpan;
    private readonly ConcurrentDictionary<string, long> _revokedUntil = new(StringComparer.Ordinal);
    private readonly IGrainFactory _grains;

    public ApiKeyResolver(IGrainFactory grains, IApiKeyRevocationBus revocations)
    {
        _byKey = new ConcurrentDictionary<string, Entry>(StringComparer.Ordinal);
        _byKeySpan = _byKey.GetAlternateLookup<ReadOnlySpan<char>>();
        _grains = grains;
        revocations.Subscribe(Evict);
    }

    /// <summary>The hot path: a key seen in the last few minutes, looked up without allocating.</summary>
    /// <returns>True when the answer is known (<paramref name="resolved"/> null: a known unknown key).</returns>
    public bool TryResolveWarm(ReadOnlySpan<char> presentedKey, out ResolvedApiKey? resolved)
    {
        if (_byKeySpan.TryGetValue(presentedKey, out var warm) && warm.ExpiresAtMs > Environment.TickCount64)
        {
            resolved = warm.Resolved;
            return true;
        }

        resolved = null;
        return false;
    }

    public async ValueTask<ResolvedApiKey?> ResolveAsync(string presentedKey)
    {
        if (TryResolveWarm(presentedKey, out var known))
        {
            return known;
        }

        if (!LooksLikeApiKey(presentedKey))
        {
            return null; // Not ours: no grain is activated for random strings.
        }

        var hash = SecretHash.Of(presentedKey);
        var owner = await _grains.GetGrain<IApiKeyGrain>(hash).ResolveAsync();
        if (_revokedUntil.TryGetValue(hash, out var until) && until > Environment.TickCount64)
        {
            return null; // Revoked while we were asking: do not cache the stale answer.
        }

        var resolved = owner is null ? null : ResolvedApiKey.For(owner);
        MakeRoom();
        _byKey[presentedKey] = new Entry(hash, resolved, Environment.TickCount64 + (owner is null ? UnknownKeyLifetimeMs : KnownKeyLifetimeMs));
        return resolved;
    }

    private void Evict(string hash)
    {
        var now = Environment.TickCount64;
        _revokedUntil[hash] = now + TombstoneLifetimeMs;
        foreach (var (key, entry) in _byKey)
        {
            if (string.Equals(entry.Hash, hash, StringComparison.Ordinal))
            {
                _byKey.TryRemove(key, out _);
            }
        }

        foreach (var (revokedHash, until) in _revokedUntil)
        {
            if (until <= now)
            {
                _revokedUntil.TryRemove(revokedHash, out _);
            }
        }
    }

    /// <summary>Bounded: expired entries go first; a flood of distinct keys empties the cache rather than grow it.</summary>
    private void MakeRoom()
    {
        if (_byKey.Count < MaxEntries)
        {
            return;
        }

        var now = Environment.TickCount64;
        foreach (var (key, entry) in _byKey)
        {
            if (entry.ExpiresAtMs <= now)
            {
                _byKey.TryRemove(key, out _);
            }
        }

        if (_byKey.Count >= MaxEntries)
        {
            _byKey.Clear();
        }
    }

    /// <summary>The shape <see cref="SecretGenerator.ApiKey"/> issues: <c>cgk_</c> and 32 random bytes, base64url.</summary>
    private static bool LooksLikeApiKey(string key) =>
        key.Length == ApiKeyLength && key.StartsWith("cgk_", StringComparison.Ordinal) && !key.AsSpan(4).ContainsAnyExcept(Base64UrlCharacters);

    private const int ApiKeyLength = 4 + 43;

    private static readonly System.Buffers.SearchValues<char> Base64UrlCharacters =
        System.Buffers.SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_");

    private sealed record Entry(string Hash, ResolvedApiKey? Resolved, long ExpiresAtMs);
}

/// <summary>
/// A resolved key: whose it is, and the principal and ticket requests with it run as, built once
/// and reused (nothing downstream changes them).
/// </summary>
public sealed record ResolvedApiKey(ApiKeyOwner Owner, ClaimsPrincipal Principal, AuthenticationTicket Ticket)
{
    public static ResolvedApiKey For(ApiKeyOwner owner)
    {
        var principal = Caller.Tenant(ApiKeyAuthenticationHandler.SchemeName, owner.TenantId, owner.KeyId);
        return new ResolvedApiKey(owner, principal, new AuthenticationTicket(principal, ApiKeyAuthenticationHandler.SchemeName));
    }
}
