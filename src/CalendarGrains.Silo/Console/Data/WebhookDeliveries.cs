using CalendarGrains.Webhooks;

namespace CalendarGrains.Silo.WebConsole.Data;

/// <summary>
/// What the webhooks page shows of a tenant's outbox: its status, its recent deliveries (failed
/// ones first) and "retry now".
/// </summary>
/// <remarks>
/// Note: a seam. The outbox's delivery log (<c>GetRecentDeliveriesAsync</c>, <c>RetryNowAsync</c>
/// on <see cref="IWebhookOutboxGrain"/>) is being added; until it lands the page shows the
/// outbox's status alone, and this is the one place to wire it.
/// </remarks>
public sealed class WebhookDeliveries(IGrainFactory grains)
{
    /// <summary>False until the outbox keeps a delivery log the console can read.</summary>
    public bool HasDeliveryLog => false;

    public Task<WebhookOutboxStatus> StatusAsync(string tenantId) => grains.GetGrain<IWebhookOutboxGrain>(tenantId).GetStatusAsync();

    /// <summary>The latest deliveries, failed ones first, then newest first.</summary>
    public Task<IReadOnlyList<WebhookDeliveryRow>> RecentAsync(string tenantId, int limit) =>
        Task.FromResult<IReadOnlyList<WebhookDeliveryRow>>([]);

    /// <summary>Sends a waiting event at once; false when the outbox has no such event.</summary>
    public Task<bool> RetryNowAsync(string tenantId, string eventId) => Task.FromResult(false);
}

/// <summary>One webhook event as the console lists it (never its body or the tenant's URL).</summary>
public sealed record WebhookDeliveryRow(
    string EventId,
    string Type,
    WebhookDeliveryOutcome Outcome,
    int Attempts,
    DateTimeOffset EnqueuedAt,
    DateTimeOffset? LastAttemptAt,
    DateTimeOffset? NextAttemptAt,
    string? LastError);

public enum WebhookDeliveryOutcome
{
    Failing,
    Dropped,
    Pending,
    Delivered,
}
