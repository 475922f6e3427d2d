using System.Collections.Concurrent;
using System.Security.Claims;
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

    private readonly ConcurrentDictionary<string, Entry> _byKey = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long> _revokedUntil = new(StringComparer.Ordinal);
    private readonly IGrainFactory _grains;

    public ApiKeyResolver(IGrainFactory grains, IApiKeyRevocationBus revocations)
    {
        _grains = grains;
        revocations.Subscribe(Evict);
    }

    public async ValueTask<ResolvedApiKey?> ResolveAsync(string presentedKey)
    {
        var now = Environment.TickCount64;
        if (_byKey.TryGetValue(presentedKey, out var warm) && warm.ExpiresAtMs > now)
        {
            return warm.Resolved;
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

        var resolved = owner is null ? null : new ResolvedApiKey(owner, Caller.Tenant(ApiKeyAuthenticationHandler.SchemeName, owner.TenantId, owner.KeyId));
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

    private static bool LooksLikeApiKey(string key) => key.StartsWith("cgk_", StringComparison.Ordinal) && key.Length is > 20 and < 128;

    private sealed record Entry(string Hash, ResolvedApiKey? Resolved, long ExpiresAtMs);
}

/// <summary>A resolved key: whose it is, and the principal requests with it run as (built once, reused).</summary>
public sealed record ResolvedApiKey(ApiKeyOwner Owner, ClaimsPrincipal Principal);
