using CalendarGrains.Tenants;

namespace CalendarGrains.Silo.Tenants;

/// <summary>
/// The tenant and, this once, its secrets: the first API key, the webhook signing secret and the
/// secret Vapi sends back in <c>X-Vapi-Secret</c>.
/// </summary>
public sealed record TenantCreatedResponse(
    string Id,
    string Name,
    GoogleClientView Google,
    VapiSettingsView Vapi,
    string? WebhookUrl,
    IReadOnlyList<string> AllowedReturnUrls,
    IReadOnlyList<ApiKeyView> ApiKeys,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    string ApiKey,
    string ApiKeyId,
    string WebhookSecret,
    string VapiServerSecret,
    NangoSettingsView? Nango = null)
{
    public static TenantCreatedResponse From(TenantCreated created)
    {
        var t = created.Tenant;
        return new(t.Id, t.Name, t.Google, t.Vapi, t.WebhookUrl, t.AllowedReturnUrls, t.ApiKeys, t.CreatedAt, t.UpdatedAt,
            created.ApiKey.ApiKey, created.ApiKey.Id, created.WebhookSecret, created.VapiServerSecret, t.Nango);
    }
}
