using CalendarGrains.Nango;
using CalendarGrains.Security;
using CalendarGrains.Tenants;

namespace CalendarGrains.Webhooks;

/// <summary>
/// What one outbox delivers and how: which events it takes and in what shape (when they are
/// enqueued), and where and how an attempt is written (when they are sent). Everything else, the
/// store, the queue, retries, retention, capacity, reminders, the console's reads, is the one
/// <see cref="WebhookOutboxGrain"/>, whatever the channel: a tenant's Standard Webhooks
/// (<see cref="StandardWebhookChannel"/>) and its Nango <c>auth</c> webhooks
/// (<see cref="NangoWebhookChannel"/>) are two outboxes of the same grain, told apart by key
/// (<see cref="WebhookOutboxKeys"/>).
/// </summary>
internal abstract class WebhookChannel
{
    /// <summary>The channel an outbox key names, and the tenant it belongs to.</summary>
    public static (WebhookChannel Channel, string TenantId) Of(string outboxKey) =>
        outboxKey.EndsWith(WebhookOutboxKeys.NangoSuffix, StringComparison.Ordinal)
            ? (NangoWebhookChannel.Instance, outboxKey[..^WebhookOutboxKeys.NangoSuffix.Length])
            : (StandardWebhookChannel.Instance, outboxKey);

    /// <summary>Why this outbox cannot take the event (the producer's mistake, refused at once), or null.</summary>
    public virtual string? Problem(WebhookEvent webhookEvent) => WebhookPayload.Problem(webhookEvent);

    /// <summary>The id the event is stored, deduplicated and sent under in this outbox.</summary>
    public virtual string StoredId(string eventId) => eventId;

    /// <summary>Whether the tenant has somewhere to send this channel's events.</summary>
    public abstract bool HasTarget(TenantView tenant);

    /// <summary>The event as this outbox stores and sends it (its id is <see cref="StoredId"/>).</summary>
    public abstract WebhookEvent Shape(WebhookEvent webhookEvent, TenantView tenant);

    /// <summary>The key of another outbox of the tenant that must take the same event too, or null.</summary>
    public virtual string? AlsoFor(WebhookEvent webhookEvent, TenantView? tenant) => null;

    /// <summary>Where and how attempts go now, or null when the tenant's settings no longer name a target.</summary>
    /// <exception cref="SecretUnreadableException">No configured key opens the secret.</exception>
    public abstract WebhookTarget? Target(TenantView tenant, TenantSecrets secrets, ISecretProtector protector);
}

/// <summary>
/// Where one outbox's attempts go, and how each is written and signed. Read from the tenant when a
/// delivery run starts, so a changed URL or key applies to the next run.
/// </summary>
internal abstract class WebhookTarget(Uri url)
{
    public Uri Url => url;

    /// <summary>What logs may say about the endpoint: host and port, never the path or query (either may hold a token).</summary>
    public string Host => Url.Authority;

    /// <summary>The request of one attempt made at <paramref name="attemptAt"/>: a POST of JSON to <see cref="Url"/>.</summary>
    public abstract HttpRequestMessage Request(WebhookEvent webhookEvent, DateTimeOffset attemptAt);
}
