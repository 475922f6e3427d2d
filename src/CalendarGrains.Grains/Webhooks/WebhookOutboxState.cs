namespace CalendarGrains.Webhooks;

/// <summary>
/// The grain state of an outbox as versions before the per-event store wrote it: every pending
/// event in one record, rewritten on each delivery. Only read now, so that events an earlier
/// version left behind move into <see cref="IWebhookStore"/> at activation; the record is then deleted.
/// </summary>
[GenerateSerializer, Alias("cg.WebhookOutboxState")]
public sealed class WebhookOutboxState
{
    /// <summary>Oldest first.</summary>
    [Id(0)] public List<PendingWebhook> Pending { get; set; } = [];
    [Id(1)] public long Delivered { get; set; }
    [Id(2)] public long Dropped { get; set; }
    [Id(3)] public string? LastError { get; set; }
}

/// <summary>
/// One event waiting for delivery and what its attempts have met so far: one record in
/// <see cref="IWebhookStore"/>. <see cref="Sequence"/> is its place in enqueue order (older is
/// smaller: the oldest goes first when the queue is full); <see cref="LastStatusCode"/> the HTTP
/// status of the last attempt that got an answer.
/// </summary>
[GenerateSerializer, Immutable, Alias("cg.PendingWebhook")]
public sealed record PendingWebhook(
    [property: Id(0)] WebhookEvent Event,
    [property: Id(1)] DateTimeOffset FirstEnqueuedAt,
    [property: Id(2)] int Attempts,
    [property: Id(3)] DateTimeOffset NextAttemptAt,
    [property: Id(4)] string? LastError,
    [property: Id(5)] long Sequence = 0,
    [property: Id(6)] int? LastStatusCode = null)
{
    public string EventId => Event.Id;

    /// <summary>As the console shows it while it waits.</summary>
    public WebhookDelivery View() => new(
        Event.Id, Event.Type, Attempts > 0 ? WebhookDeliveryStatus.Retrying : WebhookDeliveryStatus.Pending,
        Attempts, LastError, LastStatusCode, FirstEnqueuedAt, NextAttemptAt, DeliveredAt: null, DroppedAt: null);

    /// <summary>Its outcome once delivered (at <paramref name="at"/>).</summary>
    public WebhookDelivery Delivered(DateTimeOffset at) => new(
        Event.Id, Event.Type, WebhookDeliveryStatus.Delivered, Attempts, LastError, LastStatusCode, FirstEnqueuedAt, NextAttemptAt: null, DeliveredAt: at, DroppedAt: null);

    /// <summary>Its outcome once given up (at <paramref name="at"/>), with why when no attempt said so.</summary>
    public WebhookDelivery Dropped(DateTimeOffset at, string? reason = null) => new(
        Event.Id, Event.Type, WebhookDeliveryStatus.Dropped, Attempts, LastError ?? reason, LastStatusCode, FirstEnqueuedAt, NextAttemptAt: null, DeliveredAt: null, DroppedAt: at);
}
