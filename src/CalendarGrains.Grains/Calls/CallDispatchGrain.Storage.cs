using CalendarGrains.Webhooks;

namespace CalendarGrains.Calls;

/// <summary>
/// Storage, and what follows a stored change: the list index made to match and the owed webhooks
/// handed to the tenant's outbox. The watch reminder stays until both are done.
/// </summary>
public sealed partial class CallDispatchGrain
{
    /// <summary>The status the index was last made to match; null when unknown (a new activation, a failed write).</summary>
    private CallStatus? _indexedAs;

    /// <summary>Nothing left to repair: the index matches the stored status and no webhook is owed.</summary>
    private bool CaughtUp => _indexedAs == S.Status && S.OwedWebhooks.Count == 0;

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

    /// <summary>A webhook about the call as it is now, owed from the caller's next write on (<c>{callId}:{version}</c>).</summary>
    private void Owe(string type, DateTimeOffset at)
    {
        var webhook = new WebhookEvent(OwedWebhooks.EventId(Id, ++S.EventVersion), type, at, CallResource.Serialize(View()));
        OwedWebhooks.Add(S.OwedWebhooks, new OwedWebhook(D.TenantId, webhook), logger);
    }

    /// <summary>After a write, an activation or a watch tick: the index, then the owed webhooks. Never throws.</summary>
    private async Task CatchUpAsync()
    {
        await SyncIndexAsync(throwOnFailure: false);
        await HandOverWebhooksAsync();
    }

    /// <summary>Makes the index list the call as stored (idempotent); on failure the next write, activation or tick tries again.</summary>
    private async Task SyncIndexAsync(bool throwOnFailure)
    {
        if (!Exists || _indexedAs == S.Status)
        {
            return;
        }

        try
        {
            await index.EnsureAsync(D, Id, S.Status);
            _indexedAs = S.Status;
        }
        catch (Exception e) when (!throwOnFailure)
        {
            LogIndexNotUpdated(logger, e, Id);
        }
    }

    /// <summary>Hands the owed webhooks to the outbox, in order, and stores that they were taken.</summary>
    private async Task HandOverWebhooksAsync()
    {
        if (!Exists || S.OwedWebhooks.Count == 0)
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
            await state.WriteStateAsync();
        }
        catch (Exception e)
        {
            // Storage still lists them as owed: they are handed over again (same ids) after a reload.
            LogWebhooksNotSettled(logger, e, Id);
            DeactivateOnIdle();
        }
    }
}
