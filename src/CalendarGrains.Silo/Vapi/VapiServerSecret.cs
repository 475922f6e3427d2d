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

        var purpose = TenantSecretPurposes.VapiServerSecret(tenantId);
        var digest = SHA256.HashData(Encoding.UTF8.GetBytes(presented));
        // The replaced secret (while a rotation's grace lasts) is accepted too: Vapi's settings change after ours.
        return Matches(digest, protector.Unprotect(secrets.VapiServerSecret, purpose))
            | (secrets.PreviousVapiServerSecret is { } previous && Matches(digest, protector.Unprotect(previous, purpose)));
    }

    private static bool Matches(byte[] presentedDigest, string expected) =>
        CryptographicOperations.FixedTimeEquals(presentedDigest, SHA256.HashData(Encoding.UTF8.GetBytes(expected)));

    /// <summary>The secret itself, for tool definitions the tenant hands to Vapi.</summary>
    public async Task<string?> OpenAsync(string tenantId)
    {
        var secrets = await grains.GetGrain<ITenantGrain>(tenantId).GetSecretsAsync();
        return secrets is null ? null : protector.Unprotect(secrets.VapiServerSecret, TenantSecretPurposes.VapiServerSecret(tenantId));
    }
}
