namespace CalendarGrains.Webhooks;

/// <summary>
/// One outbox per tenant: takes events and delivers them to the tenant's webhook URL, signed
/// (Standard Webhooks), at least once, retrying with backoff for at least 24 hours, across
/// silo restarts.
/// </summary>
[Alias("cg.IWebhookOutboxGrain")]
public interface IWebhookOutboxGrain : IGrainWithStringKey
{
    /// <summary>Accepts an event; it is persisted before this returns.</summary>
    Task EnqueueAsync(WebhookEvent webhookEvent);

    /// <summary>What is waiting and what happened, for operators and tests.</summary>
    [ReadOnly]
    Task<WebhookOutboxStatus> GetStatusAsync();
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
