namespace CalendarGrains.Webhooks;

/// <summary>
/// One outbox per tenant and delivery target: takes events and delivers them, signed, at least
/// once, retrying with backoff for at least 24 hours, across silo restarts. Keyed by the tenant id,
/// it sends every event to the tenant's webhook URL (Standard Webhooks); keyed
/// <c>{tenant id}:nango</c> (<see cref="WebhookOutboxKeys.Nango"/>), it sends the Nango <c>auth</c>
/// webhook of each connection event to the tenant's Nango webhook URL, signed as Nango signs.
/// Producers enqueue to the first only: it hands the second what it wants.
/// </summary>
[Alias("cg.IWebhookOutboxGrain")]
public interface IWebhookOutboxGrain : IGrainWithStringKey
{
    /// <summary>
    /// Accepts an event; it is persisted before this returns. Idempotent by
    /// <see cref="WebhookEvent.Id"/>: an id already accepted (still pending, or delivered or dropped
    /// within <c>Webhooks:Retention</c>) is acknowledged and ignored, so a producer may send an
    /// event again until this returns once. When it returns, the tenant's Nango outbox has the
    /// event too if it wants it (stored as <c>{id}:nango</c>).
    /// </summary>
    Task EnqueueAsync(WebhookEvent webhookEvent);

    /// <summary>What is waiting and what happened, for operators and tests.</summary>
    [ReadOnly]
    Task<WebhookOutboxStatus> GetStatusAsync();

    /// <summary>
    /// At most <paramref name="limit"/> (1 to <see cref="WebhookDeliveries.MaxLimit"/>) deliveries:
    /// pending events that failed (soonest retry first), then those not yet attempted (oldest
    /// first), then the latest delivered or dropped ones (newest first). Codes and times only:
    /// never a body, a URL or a secret.
    /// </summary>
    [ReadOnly]
    Task<IReadOnlyList<WebhookDelivery>> GetRecentDeliveriesAsync(int limit);

    /// <summary>
    /// Makes a pending event due now (its next attempt starts at once; its retention deadline
    /// stays). False when no event with that id is pending.
    /// </summary>
    Task<bool> RetryNowAsync(string eventId);
}

/// <summary>
/// An event to deliver. <see cref="DataJson"/> is the <c>data</c> object, already serialized
/// (camelCase, no secrets); the body sent is <c>{"type","timestamp","data"}</c>.
/// </summary>
[GenerateSerializer, Immutable, Alias("cg.WebhookEvent")]
public sealed record WebhookEvent(
    [property: Id(0)] string Id,
    [property: Id(1)] string Type,
    [property: Id(2)] DateTimeOffset Timestamp,
    [property: Id(3)] string DataJson);

[GenerateSerializer, Immutable, Alias("cg.WebhookOutboxStatus")]
public sealed record WebhookOutboxStatus(
    [property: Id(0)] int Pending,
    [property: Id(1)] long Delivered,
    [property: Id(2)] long Dropped,
    [property: Id(3)] DateTimeOffset? NextAttemptAt,
    [property: Id(4)] string? LastError);

/// <summary>
/// One event's delivery as an operator sees it (<see cref="IWebhookOutboxGrain.GetRecentDeliveriesAsync"/>).
/// <see cref="LastError"/> is the last failure, a status (<c>http_503</c>) or an error kind
/// (<c>timeout</c>, <c>connection_error</c>), or for an event dropped before any attempt failed, why
/// (<c>queue_full</c>, <c>no_webhook_url</c>, <c>expired</c>); <see cref="LastStatusCode"/> is the
/// HTTP status of the last attempt that got an answer (the 2xx of a delivery).
/// </summary>
[GenerateSerializer, Immutable, Alias("cg.WebhookDelivery")]
public sealed record WebhookDelivery(
    [property: Id(0)] string EventId,
    [property: Id(1)] string Type,
    [property: Id(2)] WebhookDeliveryStatus Status,
    [property: Id(3)] int Attempts,
    [property: Id(4)] string? LastError,
    [property: Id(5)] int? LastStatusCode,
    [property: Id(6)] DateTimeOffset EnqueuedAt,
    [property: Id(7)] DateTimeOffset? NextAttemptAt,
    [property: Id(8)] DateTimeOffset? DeliveredAt,
    [property: Id(9)] DateTimeOffset? DroppedAt);

public enum WebhookDeliveryStatus
{
    /// <summary>Waiting for its first attempt.</summary>
    Pending,

    /// <summary>Failed at least once; waiting for its next attempt.</summary>
    Retrying,

    /// <summary>The endpoint answered 2xx.</summary>
    Delivered,

    /// <summary>Given up: past its retention, pushed out of a full queue, or the tenant had nowhere to send it.</summary>
    Dropped,
}

public static class WebhookDeliveries
{
    /// <summary>The most deliveries one read returns, and how many finished ones an outbox remembers.</summary>
    public const int MaxLimit = 100;
}

/// <summary>The event types of docs/api.md.</summary>
public static class WebhookEventTypes
{
    public const string ConnectionCreated = "connection.created";
    public const string ConnectionReconnected = "connection.reconnected";
    public const string ConnectionNeedsReauth = "connection.needs_reauth";
    public const string ConnectionDeleted = "connection.deleted";
    public const string CallStatusChanged = "call.status_changed";
    public const string CallEnded = "call.ended";
}
