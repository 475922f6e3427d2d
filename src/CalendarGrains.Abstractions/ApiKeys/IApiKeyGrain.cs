namespace CalendarGrains.ApiKeys;

/// <summary>
/// One grain per API key, keyed by the key's SHA-256 hash: the cold path of resolving a bearer
/// key to its tenant. The HTTP layer caches its answers, so a warm key costs no grain call.
/// </summary>
[Alias("cg.IApiKeyGrain")]
public interface IApiKeyGrain : IGrainWithStringKey
{
    /// <summary>Binds this key hash to a tenant key.</summary>
    Task RegisterAsync(ApiKeyOwner owner);

    /// <summary>The owner of this key, or null when the key is unknown or revoked.</summary>
    [ReadOnly]
    Task<ApiKeyOwner?> ResolveAsync();

    /// <summary>Forgets the key; resolving it answers null from now on.</summary>
    Task RevokeAsync();
}

/// <summary>Whose key it is.</summary>
[GenerateSerializer, Immutable, Alias("cg.ApiKeyOwner")]
public sealed record ApiKeyOwner([property: Id(0)] string TenantId, [property: Id(1)] string KeyId);
