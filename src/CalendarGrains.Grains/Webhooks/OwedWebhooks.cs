using Microsoft.Extensions.Logging;

namespace CalendarGrains.Webhooks;

/// <summary>
/// A webhook a grain owes its tenant (a transactional outbox on the producer's side): stored in
/// the grain's own state by the same write as the change it announces, and handed to the tenant's
/// <see cref="IWebhookOutboxGrain"/> until it is acknowledged. Its id is fixed when it is stored,
/// so every retry sends the same <c>webhook-id</c> and the outbox (and the tenant) can deduplicate.
/// </summary>
[GenerateSerializer, Immutable, Alias("cg.OwedWebhook")]
public sealed record OwedWebhook(
    [property: Id(0)] string TenantId,
    [property: Id(1)] WebhookEvent Event);

/// <summary>Adding owed webhooks to a grain's state and handing them over, in order.</summary>
public static partial class OwedWebhooks
{
    /// <summary>
    /// The most a grain keeps. Reached only if a tenant's outbox refuses events for a long time;
    /// then the oldest is dropped (and logged), as the outbox itself does beyond its capacity.
    /// </summary>
    public const int Capacity = 100;

    /// <summary>The id of the <paramref name="version"/>-th event of <paramref name="source"/>: the same on every retry.</summary>
    public static string EventId(string source, long version) => $"{source}:{version}";

    public static void Add(List<OwedWebhook> owed, OwedWebhook webhook, ILogger logger)
    {
        owed.Add(webhook);
        while (owed.Count > Capacity)
        {
            LogDropped(logger, owed[0].Event.Id, owed[0].Event.Type, owed[0].TenantId);
            owed.RemoveAt(0);
        }
    }

    /// <summary>
    /// Hands the owed webhooks to their tenants' outboxes in order, stopping at the first that is
    /// not acknowledged (it stays owed, and so does every later one, which keeps the order).
    /// Answers how many from the front were acknowledged: the caller removes them and stores the rest.
    /// </summary>
    public static async Task<int> HandOverAsync(IGrainFactory grains, IReadOnlyList<OwedWebhook> owed, ILogger logger)
    {
        var acknowledged = 0;
        foreach (var webhook in owed)
        {
            try
            {
                await grains.GetGrain<IWebhookOutboxGrain>(webhook.TenantId).EnqueueAsync(webhook.Event);
            }
            catch (Exception e)
            {
                // Still owed: the next write, activation or reminder tick hands it over again.
                LogNotAcknowledged(logger, e, webhook.Event.Id, webhook.Event.Type, webhook.TenantId);
                break;
            }

            acknowledged++;
        }

        return acknowledged;
    }

    [LoggerMessage(EventId = 910, EventName = "OwedWebhookNotAcknowledged", Level = LogLevel.Warning,
        Message = "Webhook {EventId} ({EventType}) of tenant {TenantId} was not taken by the outbox; it stays owed and is handed over again")]
    private static partial void LogNotAcknowledged(ILogger logger, Exception exception, string eventId, string eventType, string tenantId);

    [LoggerMessage(EventId = 911, EventName = "OwedWebhookDropped", Level = LogLevel.Error,
        Message = "Dropped the oldest owed webhook {EventId} ({EventType}) of tenant {TenantId}: more than the owed capacity were waiting for the outbox")]
    private static partial void LogDropped(ILogger logger, string eventId, string eventType, string tenantId);
}
