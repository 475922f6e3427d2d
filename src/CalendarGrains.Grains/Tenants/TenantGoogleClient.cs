using CalendarGrains.Google;
using CalendarGrains.Security;

namespace CalendarGrains.Tenants;

/// <summary>Opens a tenant's Google client secret at the point of use.</summary>
public static class TenantGoogleClient
{
    /// <summary>The tenant's OAuth client, or null when the tenant does not exist.</summary>
    public static async Task<GoogleClientCredentials?> GetAsync(IGrainFactory grains, ISecretProtector protector, string tenantId)
    {
        var secrets = await grains.GetGrain<ITenantGrain>(tenantId).GetSecretsAsync();
        return secrets is null
            ? null
            : new GoogleClientCredentials(secrets.GoogleClientId, protector.Unprotect(secrets.GoogleClientSecret, TenantSecretPurposes.GoogleClientSecret(tenantId)));
    }
}
