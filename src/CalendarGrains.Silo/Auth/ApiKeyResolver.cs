using CalendarGrains.ApiKeys;
using CalendarGrains.Common;
using Microsoft.Extensions.Caching.Memory;

namespace CalendarGrains.Silo.Auth;

/// <summary>
/// Resolves a tenant API key to its owner. Warm keys cost a SHA-256 and a dictionary lookup, no
/// grain call; a revocation evicts the key on every silo at once (see <see cref="IApiKeyRevocationBus"/>),
/// and entries expire anyway after a few minutes in case a revocation message was lost.
/// </summary>
public sealed class ApiKeyResolver : IDisposable
{
    private static readonly TimeSpan KnownKeyLifetime = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan UnknownKeyLifetime = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan TombstoneLifetime = TimeSpan.FromMinutes(10);

    private readonly MemoryCache _cache = new(new MemoryCacheOptions { SizeLimit = 200_000 });
    private readonly IGrainFactory _grains;

    public ApiKeyResolver(IGrainFactory grains, IApiKeyRevocationBus revocations)
    {
        _grains = grains;
        revocations.Subscribe(Evict);
    }

    public async ValueTask<ApiKeyOwner?> ResolveAsync(string presentedKey)
    {
        if (!LooksLikeApiKey(presentedKey))
        {
            return null; // Not ours: no grain is activated for random strings.
        }

        var hash = SecretHash.Of(presentedKey);
        if (_cache.TryGetValue(hash, out CachedOwner? cached))
        {
            return cached!.Owner;
        }

        var owner = await _grains.GetGrain<IApiKeyGrain>(hash).ResolveAsync();
        if (_cache.TryGetValue(TombstoneKey(hash), out _))
        {
            return null; // Revoked while we were asking: do not cache the stale answer.
        }

        _cache.Set(hash, new CachedOwner(owner), new MemoryCacheEntryOptions
        {
            Size = 1,
            AbsoluteExpirationRelativeToNow = owner is null ? UnknownKeyLifetime : KnownKeyLifetime,
        });
        return owner;
    }

    public void Dispose() => _cache.Dispose();

    private void Evict(string hash)
    {
        _cache.Set(TombstoneKey(hash), true, new MemoryCacheEntryOptions { Size = 1, AbsoluteExpirationRelativeToNow = TombstoneLifetime });
        _cache.Remove(hash);
    }

    private static bool LooksLikeApiKey(string key) => key.StartsWith("cgk_", StringComparison.Ordinal) && key.Length is > 20 and < 128;

    private static string TombstoneKey(string hash) => "revoked:" + hash;

    /// <summary>A class so that "unknown key" (null) can be cached too.</summary>
    private sealed record CachedOwner(ApiKeyOwner? Owner);
}
