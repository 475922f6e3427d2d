using System.Net.Http.Headers;
using System.Text;
using CalendarGrains.Security;
using CalendarGrains.Tenants;
using CalendarGrains.Webhooks;

namespace CalendarGrains.Nango;

/// <summary>
/// The tenant's Nango <c>auth</c> webhooks (the outbox keyed <c>{tenant id}:nango</c>), for a Nango
/// webhook handler kept unchanged: the connection events Nango has one for, in Nango's body
/// (<see cref="NangoAuthWebhookPayload"/>), signed as Nango signs (<see cref="NangoWebhookSignature"/>),
/// to the tenant's <c>nango.webhookUrl</c>.
/// </summary>
/// <remarks>
/// Its events come from the tenant's Standard outbox (<see cref="StandardWebhookChannel.AlsoFor"/>) and
/// are delivered by the same grain, so they are kept, retried and reported as the Standard ones are:
/// stored before the producer is answered, retried with back-off for <c>Webhooks:Retention</c>
/// (72 hours) across restarts, deduplicated by <c>{event id}:nango</c>. The body is written when the
/// event is taken, with the environment the tenant had then; the URL and the signing key are read
/// when it is sent. Each attempt also carries that id as <c>webhook-id</c>, which Nango does not
/// send: a handler may use it to ignore a repeated delivery.
/// </remarks>
internal sealed class NangoWebhookChannel : WebhookChannel
{
    public static readonly NangoWebhookChannel Instance = new();

    private NangoWebhookChannel()
    {
    }

    public override string? Problem(WebhookEvent webhookEvent) =>
        base.Problem(webhookEvent)
        ?? (NangoAuthWebhookPayload.Covers(webhookEvent.Type) ? null : $"Nango has no auth webhook for '{webhookEvent.Type}'.");

    public override string StoredId(string eventId) => WebhookOutboxKeys.NangoEventId(eventId);

    /// <summary>Nango signs every webhook, so a URL without a key is no target.</summary>
    public override bool HasTarget(TenantView tenant) => tenant.Nango is { WebhookUrl: not null, HasWebhookSigningKey: true };

    public override WebhookEvent Shape(WebhookEvent webhookEvent, TenantView tenant)
    {
        // Never null here: Problem refused the event types Nango sends nothing for.
        var body = NangoAuthWebhookPayload.Build(webhookEvent, tenant.Nango?.Environment ?? TenantDefaults.NangoEnvironment)!;
        return webhookEvent with { Id = StoredId(webhookEvent.Id), DataJson = Encoding.UTF8.GetString(body) };
    }

    public override WebhookTarget? Target(TenantView tenant, TenantSecrets secrets, ISecretProtector protector)
    {
        if (!HasTarget(tenant) || !Uri.TryCreate(tenant.Nango!.WebhookUrl, UriKind.Absolute, out var url) || secrets.NangoWebhookSigningKey is not { } sealedKey)
        {
            return null;
        }

        return new NangoWebhookTarget(url, protector.Unprotect(sealedKey, TenantSecretPurposes.NangoWebhookSigningKey(tenant.Id)));
    }

    private sealed class NangoWebhookTarget(Uri url, string signingKey) : WebhookTarget(url)
    {
        public override HttpRequestMessage Request(WebhookEvent webhookEvent, DateTimeOffset attemptAt)
        {
            // The body Nango's handler sees is exactly what was stored (and what is signed).
            var body = Encoding.UTF8.GetBytes(webhookEvent.DataJson);
            var request = new HttpRequestMessage(HttpMethod.Post, Url) { Content = new ByteArrayContent(body) };
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            request.Headers.TryAddWithoutValidation(NangoWebhookSignature.LegacyHeader, NangoWebhookSignature.Legacy(signingKey, body));
            request.Headers.TryAddWithoutValidation(NangoWebhookSignature.HmacHeader, NangoWebhookSignature.Hmac(signingKey, body));
            request.Headers.TryAddWithoutValidation("webhook-id", webhookEvent.Id);
            return request;
        }
    }
}
