using CalendarGrains.Security;
using CalendarGrains.Tenants;

namespace CalendarGrains.Webhooks;

/// <summary>Where a tenant's webhooks go and the signer holding its key.</summary>
internal sealed record WebhookTarget(Uri Url, StandardWebhookSigner Signer)
{
    /// <summary>What logs may say about the endpoint: host and port, never the path or query (either may hold a token).</summary>
    public string Host => Url.Authority;
}

/// <summary>Reads a tenant's webhook URL and opens its webhook secret, for the outbox about to send.</summary>
public sealed class WebhookTargets(IGrainFactory grains, ISecretProtector protector)
{
    /// <summary>The tenant's target, or null when the tenant is gone or has no webhook URL.</summary>
    /// <exception cref="SecretUnreadableException">No configured key opens the secret.</exception>
    internal async Task<WebhookTarget?> ResolveAsync(string tenantId)
    {
        var tenant = grains.GetGrain<ITenantGrain>(tenantId);
        var view = await tenant.GetAsync();
        if (view?.WebhookUrl is null || !Uri.TryCreate(view.WebhookUrl, UriKind.Absolute, out var url))
        {
            return null;
        }

        var secrets = await tenant.GetSecretsAsync();
        if (secrets is null)
        {
            return null;
        }

        var purpose = TenantSecretPurposes.WebhookSecret(tenantId);
        var secret = protector.Unprotect(secrets.WebhookSecret, purpose);
        // While a rotation's grace lasts, sign with the replaced secret too.
        IReadOnlyList<string> keys = secrets.PreviousWebhookSecret is { } previous ? [secret, protector.Unprotect(previous, purpose)] : [secret];
        return new WebhookTarget(url, new StandardWebhookSigner(keys));
    }
}
