namespace CalendarGrains.Webhooks;

/// <summary>
/// The keys of a tenant's <see cref="IWebhookOutboxGrain"/>s, one per delivery target: the tenant id
/// itself for its Standard Webhooks (to its <c>webhookUrl</c>), and <c>{tenant id}:nango</c> for the
/// Nango-shaped <c>auth</c> webhooks (to its <c>nango.webhookUrl</c>). Both run the same grain, so both
/// keep, retry and report their events alike.
/// </summary>
public static class WebhookOutboxKeys
{
    /// <summary>The suffix of a Nango outbox's key (tenant ids never contain a colon).</summary>
    public const string NangoSuffix = ":nango";

    /// <summary>The outbox of the tenant's Standard Webhooks.</summary>
    public static string Standard(string tenantId) => tenantId;

    /// <summary>The outbox of the tenant's Nango <c>auth</c> webhooks.</summary>
    public static string Nango(string tenantId) => tenantId + NangoSuffix;

    /// <summary>The id an event has in the Nango outbox (and its <c>webhook-id</c> header there): distinct from the Standard one.</summary>
    public static string NangoEventId(string eventId) => eventId + NangoSuffix;
}
