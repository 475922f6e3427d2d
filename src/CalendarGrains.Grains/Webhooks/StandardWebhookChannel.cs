using System.Globalization;
using System.Net.Http.Headers;
using CalendarGrains.Nango;
using CalendarGrains.Security;
using CalendarGrains.Tenants;

namespace CalendarGrains.Webhooks;

/// <summary>
/// The tenant's own webhooks (the outbox keyed by the tenant id): every event, as
/// <c>{"type","timestamp","data"}</c>, signed as Standard Webhooks says, to its <c>webhookUrl</c>.
/// </summary>
internal sealed class StandardWebhookChannel : WebhookChannel
{
    public static readonly StandardWebhookChannel Instance = new();

    private StandardWebhookChannel()
    {
    }

    public override bool HasTarget(TenantView tenant) => tenant.WebhookUrl is not null;

    public override WebhookEvent Shape(WebhookEvent webhookEvent, TenantView tenant) => webhookEvent;

    /// <summary>
    /// A connection event Nango has an <c>auth</c> webhook for also goes to the tenant's Nango outbox
    /// when it has a Nango webhook handler: the one place every such event passes, whoever produced it.
    /// </summary>
    public override string? AlsoFor(WebhookEvent webhookEvent, TenantView? tenant) =>
        tenant is not null && NangoAuthWebhookPayload.Covers(webhookEvent.Type) && NangoWebhookChannel.Instance.HasTarget(tenant)
            ? WebhookOutboxKeys.Nango(tenant.Id)
            : null;

    public override WebhookTarget? Target(TenantView tenant, TenantSecrets secrets, ISecretProtector protector)
    {
        if (!Uri.TryCreate(tenant.WebhookUrl, UriKind.Absolute, out var url))
        {
            return null;
        }

        var secret = protector.Unprotect(secrets.WebhookSecret, TenantSecretPurposes.WebhookSecret(tenant.Id));
        return new StandardWebhookTarget(url, new StandardWebhookSigner(secret));
    }

    private sealed class StandardWebhookTarget(Uri url, StandardWebhookSigner signer) : WebhookTarget(url)
    {
        public override HttpRequestMessage Request(WebhookEvent webhookEvent, DateTimeOffset attemptAt)
        {
            var body = WebhookPayload.Serialize(webhookEvent);
            var timestamp = attemptAt.ToUnixTimeSeconds();
            var request = new HttpRequestMessage(HttpMethod.Post, Url) { Content = new ByteArrayContent(body) };
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            request.Headers.TryAddWithoutValidation("webhook-id", webhookEvent.Id);
            request.Headers.TryAddWithoutValidation("webhook-timestamp", timestamp.ToString(CultureInfo.InvariantCulture));
            request.Headers.TryAddWithoutValidation("webhook-signature", signer.Sign(webhookEvent.Id, timestamp, body));
            return request;
        }
    }
}
