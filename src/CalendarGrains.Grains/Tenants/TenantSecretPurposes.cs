namespace CalendarGrains.Tenants;

/// <summary>The associated data each tenant secret is sealed under (see <see cref="Security.ISecretProtector"/>).</summary>
public static class TenantSecretPurposes
{
    public static string GoogleClientSecret(string tenantId) => $"tenant/{tenantId}/google-client-secret";

    public static string VapiApiKey(string tenantId) => $"tenant/{tenantId}/vapi-api-key";

    public static string WebhookSecret(string tenantId) => $"tenant/{tenantId}/webhook-secret";

    public static string VapiServerSecret(string tenantId) => $"tenant/{tenantId}/vapi-server-secret";

    public static string NangoWebhookSigningKey(string tenantId) => $"tenant/{tenantId}/nango-webhook-signing-key";
}
