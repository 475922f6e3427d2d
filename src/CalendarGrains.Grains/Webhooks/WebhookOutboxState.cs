namespace CalendarGrains.Webhooks;

/// <summary>A tenant's outbox as stored: the pending events in enqueue order (bounded) and counters.</summary>
[GenerateSerializer, Alias("cg.WebhookOutboxState")]
public sealed class WebhookOutboxState
{
    /// <summary>Oldest first; at most <see cref="WebhookOptions.QueueCapacity"/>.</summary>
    [Id(0)] public List<PendingWebhook> Pending { get; set; } = [];
    [Id(1)] public long Delivered { get; set; }
    [Id(2)] public long Dropped { get; set; }
    /// <summary>The latest failure of any event: a status (<c>http_503</c>) or an error kind, never a body, URL or secret.</summary>
    [Id(3)] public string? LastError { get; set; }
}

/// <summary>One event waiting for delivery and what its attempts have met so far.</summary>
[GenerateSerializer, Immutable, Alias("cg.PendingWebhook")]
public sealed record PendingWebhook(
    [property: Id(0)] WebhookEvent Event,
    [property: Id(1)] DateTimeOffset FirstEnqueuedAt,
    [property: Id(2)] int Attempts,
    [property: Id(3)] DateTimeOffset NextAttemptAt,
    [property: Id(4)] string? LastError);
