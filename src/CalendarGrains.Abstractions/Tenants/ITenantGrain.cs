namespace CalendarGrains.Tenants;

/// <summary>One grain per tenant (a platform): its Google client, Vapi settings, webhook target and API keys.</summary>
[Alias("cg.ITenantGrain")]
public interface ITenantGrain : IGrainWithStringKey
{
    /// <summary>Creates the tenant and its first API key; the returned secrets are never shown again.</summary>
    Task<TenantCreated> CreateAsync(TenantDefinition definition);

    /// <summary>The tenant without secrets, or null when it does not exist.</summary>
    [ReadOnly]
    Task<TenantView?> GetAsync();

    /// <summary>Applies the given changes; absent members stay as they are. Null when the tenant does not exist.</summary>
    Task<TenantView?> UpdateAsync(TenantChanges changes);

    /// <summary>
    /// Adds an API key beside the existing ones (for rotation), unless the tenant does not exist or
    /// already has as many as it may (<c>Tenants:MaxApiKeys</c>).
    /// </summary>
    Task<ApiKeyAddition> AddApiKeyAsync();

    /// <summary>Revokes one API key at once, on every silo. False when no such key.</summary>
    Task<bool> RevokeApiKeyAsync(string keyId);

    /// <summary>The tenant's secrets as stored ciphertext, for the grain or endpoint about to use them.</summary>
    [ReadOnly]
    Task<TenantSecrets?> GetSecretsAsync();
}
