using CalendarGrains.Security;
using CalendarGrains.Tenants;

namespace CalendarGrains.Webhooks;

/// <summary>Reads where a tenant's outbox sends and opens the key it signs with, for the outbox about to send.</summary>
public sealed class WebhookTargets(IGrainFactory grains, ISecretProtector protector)
{
    /// <summary>The target of the tenant's outbox of <paramref name="channel"/>, or null when the tenant is gone or names none.</summary>
    /// <exception cref="SecretUnreadableException">No configured key opens the secret.</exception>
    internal async Task<WebhookTarget?> ResolveAsync(string tenantId, WebhookChannel channel)
    {
        var tenant = grains.GetGrain<ITenantGrain>(tenantId);
        var view = await tenant.GetAsync();
        if (view is null || !channel.HasTarget(view))
        {
            return null;
        }

        var secrets = await tenant.GetSecretsAsync();
        return secrets is null ? null : channel.Target(view, secrets, protector);
    }
}
