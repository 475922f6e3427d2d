using CalendarGrains.Webhooks;

namespace CalendarGrains.Silo.WebConsole.Data;

/// <summary>
/// What the webhooks page shows of a tenant's outbox: its status, its recent deliveries (failed
/// ones first) and "retry now", all from the outbox grain itself.
/// </summary>
public sealed class WebhookDeliveryLog(IGrainFactory grains)
{
    /// <summary>How the page orders deliveries: what needs a look first.</summary>
    private static readonly WebhookDeliveryStatus[] Severity =
        [WebhookDeliveryStatus.Retrying, WebhookDeliveryStatus.Dropped, WebhookDeliveryStatus.Pending, WebhookDeliveryStatus.Delivered];

    public Task<WebhookOutboxStatus> StatusAsync(string tenantId) => Outbox(tenantId).GetStatusAsync();

    /// <summary>
    /// The outbox's recent deliveries, failed ones first (retrying, then dropped), then waiting, then
    /// delivered; within each, in the outbox's own order (soonest retry, oldest waiting, newest finished).
    /// </summary>
    public async Task<IReadOnlyList<WebhookDelivery>> RecentAsync(string tenantId, int limit)
    {
        var deliveries = await Outbox(tenantId).GetRecentDeliveriesAsync(Math.Clamp(limit, 1, WebhookDeliveries.MaxLimit));
        return [.. deliveries.Select((delivery, order) => (delivery, order))
            .OrderBy(entry => Array.IndexOf(Severity, entry.delivery.Status))
            .ThenBy(entry => entry.order)
            .Select(entry => entry.delivery)];
    }

    /// <summary>Sends a waiting event at once; false when the outbox has no such event pending.</summary>
    public Task<bool> RetryNowAsync(string tenantId, string eventId) => Outbox(tenantId).RetryNowAsync(eventId);

    public static bool IsFailed(WebhookDelivery delivery) => delivery.Status is WebhookDeliveryStatus.Retrying or WebhookDeliveryStatus.Dropped;

    private IWebhookOutboxGrain Outbox(string tenantId) => grains.GetGrain<IWebhookOutboxGrain>(tenantId);
}
