namespace CalendarGrains.Webhooks;

/// <summary>
/// Where the outboxes keep their events: one record per pending event, so that recording one
/// delivery writes that event's record and a few counters, never the whole queue. Beside them, per
/// tenant, the ids of finished events (remembered for a while, for deduplication), the counters and
/// the latest outcomes. Redis in a cluster, memory in the single-silo sandbox. Every method is
/// atomic: a crash leaves each call done or not done.
/// </summary>
/// <remarks>
/// One outbox grain per tenant writes its tenant's records; the store does not order the calls of
/// two activations of it (a rare duplicate after a partition), which at worst delivers an event twice.
/// </remarks>
public interface IWebhookStore
{
    /// <summary>Everything a starting outbox needs: its pending events (any order), counters and latest outcomes.</summary>
    Task<WebhookStoreSnapshot> LoadAsync(string tenantId);

    /// <summary>
    /// Stores a new pending event, first dropping <paramref name="overflow"/> (the oldest, to make
    /// room). False, changing nothing, when an event with its id is pending or was finished less than
    /// <paramref name="remember"/> ago. Times are the caller's clock (<paramref name="now"/>), which
    /// remembered ids expire against: Redis' own clock only bounds how long the set of them lives.
    /// </summary>
    Task<bool> AddAsync(string tenantId, PendingWebhook pending, IReadOnlyList<WebhookDelivery> overflow, DateTimeOffset now, TimeSpan remember);

    /// <summary>
    /// Counts an event that was never queued (the tenant had nowhere to send it) as dropped and
    /// remembers its id; false, changing nothing, when its id is pending or remembered.
    /// </summary>
    Task<bool> RefuseAsync(string tenantId, WebhookDelivery outcome, DateTimeOffset now, TimeSpan remember);

    /// <summary>
    /// Replaces a pending event's record (its attempts, next attempt); nothing when it is no longer
    /// pending. <paramref name="lastError"/>: the outbox's latest failure, when this update records one.
    /// </summary>
    Task UpdateAsync(string tenantId, PendingWebhook pending, string? lastError);

    /// <summary>
    /// Finishes pending events (delivered or dropped, as each outcome says): removes their records,
    /// remembers their ids, counts them and keeps the outcomes among the latest. Events no longer
    /// pending are skipped. Returns how many were finished.
    /// </summary>
    Task<int> CompleteAsync(string tenantId, IReadOnlyList<WebhookDelivery> outcomes, DateTimeOffset now, TimeSpan remember, string? lastError);

    /// <summary>
    /// Adds events and counters an earlier version kept in grain state. Idempotent: a pending event
    /// already stored and counters already set stay as they are.
    /// </summary>
    Task ImportAsync(string tenantId, IReadOnlyList<PendingWebhook> pending, long delivered, long dropped, string? lastError);
}

/// <summary>An outbox as stored; <see cref="Recent"/> are the latest finished events, newest first, at most <see cref="WebhookDeliveries.MaxLimit"/>.</summary>
public sealed record WebhookStoreSnapshot(
    IReadOnlyList<PendingWebhook> Pending,
    long Delivered,
    long Dropped,
    string? LastError,
    IReadOnlyList<WebhookDelivery> Recent)
{
    public static WebhookStoreSnapshot Empty { get; } = new([], 0, 0, null, []);
}
