using CalendarGrains.Security;

namespace CalendarGrains.Connections;

/// <summary>
/// Connections imported before ids were scoped per tenant (<see cref="ConnectionKeys"/>) live under
/// their bare id. The scoped grain adopts one when it is first activated empty: it takes the state,
/// seals the tokens for its own key, stores it, then has the bare-id grain erase its copy.
/// </summary>
/// <remarks>
/// Note: the bare-id grain hands over only to the tenant that owns it, so another tenant's grain of
/// the same id stays empty: "someone else has this id" reads exactly as "nobody has". An empty
/// scoped grain asks once per activation; generated ids (<c>conn_</c>) were never moved and never ask.
/// </remarks>
public sealed partial class ConnectionGrain
{
    private async Task AdoptLegacyAsync(string tenantId, string connectionId)
    {
        var legacy = GrainFactory.GetGrain<ILegacyConnectionGrain>(connectionId);
        if (await legacy.HandOverAsync(tenantId) is not { } adopted)
        {
            return;
        }

        adopted.RefreshToken = SealFor(adopted.RefreshToken, ConnectionSecretPurposes.RefreshToken(connectionId), ConnectionSecretPurposes.RefreshToken(Key));
        adopted.AccessToken = SealFor(adopted.AccessToken, ConnectionSecretPurposes.AccessToken(connectionId), ConnectionSecretPurposes.AccessToken(Key));
        state.State = adopted;
        await state.WriteStateAsync();
        if (S.OwedWebhooks.Count > 0)
        {
            await ArmWebhookReminderAsync();
        }

        try
        {
            await legacy.ForgetAsync(tenantId);
        }
        catch (Exception e)
        {
            // Stored here already, and this grain never asks again: the tenant sees one connection (its
            // lists hold the id once). The bare-id copy stays in storage and in the cluster-wide count.
            LogLegacyNotForgotten(logger, e, connectionId);
        }

        LogAdopted(logger, connectionId, tenantId);
    }

    private EncryptedSecret? SealFor(EncryptedSecret? secret, string from, string to) =>
        secret is null ? null : protector.Protect(protector.Unprotect(secret, from), to);

    Task<ConnectionState?> ILegacyConnectionGrain.HandOverAsync(string tenantId) =>
        Task.FromResult(VisibleTo(tenantId) && !ConnectionKeys.TryParseScoped(Key, out _, out _) ? S : null);

    async Task ILegacyConnectionGrain.ForgetAsync(string tenantId)
    {
        if (!VisibleTo(tenantId) || ConnectionKeys.TryParseScoped(Key, out _, out _))
        {
            return;
        }

        _token = null;
        await state.ClearStateAsync();
        _indexed = null;
        await DisarmWebhookReminderAsync();
        await index.UncountAsync(Key);
        DeactivateOnIdle();
    }
}
