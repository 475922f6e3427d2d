using CalendarGrains.Webhooks;

namespace CalendarGrains.Connections;

/// <summary>
/// Storage, and what follows a stored change: the list index made to match, the owed webhooks
/// handed over, and the reminder that finishes both after a crash. Only non-interleaved turns get
/// here, so Orleans runs one write at a time.
/// </summary>
public sealed partial class ConnectionGrain
{
    private const string WebhookReminder = "connection-webhooks";

    /// <summary>The (tenant, status) the index was last made to match; null when unknown.</summary>
    private (string TenantId, ConnectionStatus Status)? _indexed;

    private bool _webhookReminderArmed;

    /// <summary>A change of status: its history entry and the webhook it owes, both stored by the caller's next write.</summary>
    private void RecordStatusChange(ConnectionStatus to, string reason, string webhookType, DateTimeOffset at)
    {
        S.Status = to;
        S.History.Add(new ConnectionStatusChange(to, at, reason));
        if (S.History.Count > ConnectionState.MaxHistory)
        {
            S.History.RemoveRange(0, S.History.Count - ConnectionState.MaxHistory);
        }

        S.EventSource ??= Common.Ids.New("cev_", time);
        var webhook = new WebhookEvent(OwedWebhooks.EventId(S.EventSource, ++S.EventVersion), webhookType, at, ConnectionResource.Serialize(View()));
        OwedWebhooks.Add(S.OwedWebhooks, new OwedWebhook(S.TenantId!, webhook), logger);
    }

    /// <summary>
    /// Stores a status change with its webhook (one write), then makes the index match and hands the
    /// webhook over. Callers arm the reminder first (<see cref="ArmWebhookReminderAsync"/>).
    /// </summary>
    private async Task StoreChangeAsync(bool indexMustSucceed)
    {
        await WriteAsync();
        await SyncIndexAsync(indexMustSucceed);
        await HandOverWebhooksAsync();
    }

    /// <summary>
    /// Writes the state. On failure the activation is dropped after this turn, so the next call reads
    /// what storage holds instead of a change that was never stored.
    /// </summary>
    private async Task WriteAsync()
    {
        try
        {
            await state.WriteStateAsync();
        }
        catch (Exception)
        {
            DeactivateOnIdle();
            throw;
        }
    }

    /// <summary>Makes the index list the connection as stored (idempotent); on failure the next write, activation or reminder tries again.</summary>
    private async Task SyncIndexAsync(bool throwOnFailure)
    {
        if (!Exists || _indexed == (S.TenantId!, S.Status))
        {
            return;
        }

        try
        {
            await index.EnsureAsync(S.TenantId!, Id, S.Status);
            _indexed = (S.TenantId!, S.Status);
        }
        catch (Exception e) when (!throwOnFailure)
        {
            LogIndexNotUpdated(logger, e, Id);
        }
    }

    /// <summary>
    /// Hands the owed webhooks to the outbox and stores that they were taken; erases a tombstone
    /// that owes nothing more. Never throws: whatever is left stays owed for the next try.
    /// </summary>
    private async Task HandOverWebhooksAsync()
    {
        if (S.OwedWebhooks.Count == 0)
        {
            return;
        }

        var acknowledged = await OwedWebhooks.HandOverAsync(GrainFactory, S.OwedWebhooks, logger);
        if (acknowledged == 0)
        {
            return;
        }

        S.OwedWebhooks.RemoveRange(0, acknowledged);
        try
        {
            if (S.Status == ConnectionStatus.Revoked && S.OwedWebhooks.Count == 0)
            {
                await state.ClearStateAsync();
                _indexed = null;
            }
            else
            {
                await state.WriteStateAsync();
            }

            if (S.OwedWebhooks.Count == 0)
            {
                await DisarmWebhookReminderAsync();
            }
        }
        catch (Exception e)
        {
            // Storage still lists them as owed: they are handed over again (same ids) after a reload.
            LogPersistFailed(logger, e, Id);
            DeactivateOnIdle();
        }
    }

    /// <summary>Registered before a change is stored, so a silo lost right after the write still finishes it.</summary>
    private async Task ArmWebhookReminderAsync()
    {
        if (!_webhookReminderArmed)
        {
            var period = webhookOptions.Value.ReminderPeriod;
            await this.RegisterOrUpdateReminder(WebhookReminder, period, period);
            _webhookReminderArmed = true;
        }
    }

    private async Task DisarmWebhookReminderAsync()
    {
        if (await this.GetReminder(WebhookReminder) is { } reminder)
        {
            await this.UnregisterReminder(reminder);
        }

        _webhookReminderArmed = false;
    }

    /// <summary>Runs while webhooks are owed: brings the grain back after a restart and finishes the change.</summary>
    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        _webhookReminderArmed = true;
        await SyncIndexAsync(throwOnFailure: false);
        await HandOverWebhooksAsync();
        if (!Exists || S.OwedWebhooks.Count == 0)
        {
            await DisarmWebhookReminderAsync();
        }
    }

    /// <summary>The first turn after activation: the index and the owed webhooks, as after any write.</summary>
    private async Task OnFirstTurnAsync()
    {
        await SyncIndexAsync(throwOnFailure: false);
        await HandOverWebhooksAsync();
    }

    private bool Reseal()
    {
        var changed = false;
        if (S.RefreshToken is { } refreshToken && protector.NeedsResealing(refreshToken))
        {
            var purpose = ConnectionSecretPurposes.RefreshToken(Id);
            S.RefreshToken = protector.Protect(protector.Unprotect(refreshToken, purpose), purpose);
            changed = true;
        }

        if (S.AccessToken is { } accessToken && protector.NeedsResealing(accessToken))
        {
            var purpose = ConnectionSecretPurposes.AccessToken(Id);
            S.AccessToken = protector.Protect(protector.Unprotect(accessToken, purpose), purpose);
            changed = true;
        }

        return changed;
    }
}
