using Microsoft.Extensions.Logging;

namespace CalendarGrains.Webhooks;

/// <summary>
/// The outbox's log lines. They name the tenant, the event and its type, and the endpoint's host
/// only: never the URL's path or query, the body, a header value or the secret. The tenant they
/// name is the outbox's key: the tenant id, or <c>{tenant id}:nango</c> for its Nango outbox.
/// </summary>
internal static partial class WebhookLog
{
    [LoggerMessage(EventId = 901, EventName = "WebhookNoUrl", Level = LogLevel.Debug,
        Message = "Tenant {TenantId} has no webhook URL: event {EventId} ({EventType}) dropped")]
    public static partial void NoWebhookUrl(ILogger logger, string tenantId, string eventId, string eventType);

    [LoggerMessage(EventId = 902, EventName = "WebhookQueueFull", Level = LogLevel.Warning,
        Message = "Webhook outbox of tenant {TenantId} is full ({Capacity} pending): dropped the oldest event {EventId} ({EventType})")]
    public static partial void QueueFull(ILogger logger, string tenantId, int capacity, string eventId, string eventType);

    [LoggerMessage(EventId = 903, EventName = "WebhookDelivered", Level = LogLevel.Debug,
        Message = "Delivered webhook {EventId} ({EventType}) of tenant {TenantId} to {Host}: {StatusCode} after {Attempts} attempt(s)")]
    public static partial void Delivered(ILogger logger, string eventId, string eventType, string tenantId, string host, int statusCode, int attempts);

    [LoggerMessage(EventId = 904, EventName = "WebhookAttemptFailed", Level = LogLevel.Information,
        Message = "Webhook {EventId} ({EventType}) of tenant {TenantId} to {Host} failed ({Error}) on attempt {Attempts}; next attempt at {NextAttemptAt:O}")]
    public static partial void AttemptFailed(ILogger logger, string eventId, string eventType, string tenantId, string host, string error, int attempts, DateTimeOffset nextAttemptAt);

    [LoggerMessage(EventId = 905, EventName = "WebhookGaveUp", Level = LogLevel.Warning,
        Message = "Gave up webhook {EventId} ({EventType}) of tenant {TenantId} after {Attempts} attempt(s) since {FirstEnqueuedAt:O}; last error {Error}")]
    public static partial void GaveUp(ILogger logger, string eventId, string eventType, string tenantId, int attempts, DateTimeOffset firstEnqueuedAt, string? error);

    [LoggerMessage(EventId = 906, EventName = "WebhookTargetGone", Level = LogLevel.Warning,
        Message = "Tenant {TenantId} no longer exists or has no webhook URL: dropped {Count} pending webhook(s)")]
    public static partial void TargetGone(ILogger logger, string tenantId, int count);

    [LoggerMessage(EventId = 907, EventName = "WebhookOutboxFailed", Level = LogLevel.Warning,
        Message = "Webhook outbox of tenant {TenantId} could not run ({ErrorType}); trying again at {RetryAt:O}")]
    public static partial void OutboxFailed(ILogger logger, string tenantId, string errorType, DateTimeOffset retryAt);

    // EventId 908 (formerly 8, WebhookOutboxConflict) was the whole-queue record's stale ETag: gone with that record.

    [LoggerMessage(EventId = 909, EventName = "WebhookOutboxMoved", Level = LogLevel.Information,
        Message = "Webhook outbox of tenant {TenantId}: moved {Count} pending event(s) from its grain state (an earlier version's) to the event store")]
    public static partial void MovedLegacyState(ILogger logger, string tenantId, int count);
}
