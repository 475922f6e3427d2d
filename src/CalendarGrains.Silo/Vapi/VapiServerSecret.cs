using System.Security.Cryptography;
using System.Text;
using CalendarGrains.Common;
using CalendarGrains.Security;
using CalendarGrains.Tenants;

namespace CalendarGrains.Silo.Vapi;

/// <summary>
/// Vapi's requests to this service (server messages, tool calls) carry the tenant's
/// <c>vapiServerSecret</c> in <c>X-Vapi-Secret</c>. Compared as SHA-256 digests in constant time,
/// so neither the secret nor its length leaks through timing.
/// </summary>
public sealed class VapiServerSecret(IGrainFactory grains, ISecretProtector protector)
{
    public const string Header = "X-Vapi-Secret";

    public async Task<bool> IsValidAsync(string tenantId, string? presented)
    {
        if (string.IsNullOrEmpty(presented) || !Ids.IsTenantId(tenantId))
        {
            return false;
        }

        var secrets = await grains.GetGrain<ITenantGrain>(tenantId).GetSecretsAsync();
        if (secrets is null)
        {
            return false;
        }

        var expected = protector.Unprotect(secrets.VapiServerSecret, TenantSecretPurposes.VapiServerSecret(tenantId));
        return CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(presented)), SHA256.HashData(Encoding.UTF8.GetBytes(expected)));
    }

    /// <summary>The secret itself, for tool definitions the tenant hands to Vapi.</summary>
    public async Task<string?> OpenAsync(string tenantId)
    {
        var secrets = await grains.GetGrain<ITenantGrain>(tenantId).GetSecretsAsync();
        return secrets is null ? null : protector.Unprotect(secrets.VapiServerSecret, TenantSecretPurposes.VapiServerSecret(tenantId));
    }
}
