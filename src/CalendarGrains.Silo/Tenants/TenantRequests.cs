using System.ComponentModel.DataAnnotations;
using CalendarGrains.Silo.Validation;
using CalendarGrains.Tenants;

namespace CalendarGrains.Silo.Tenants;

/// <summary><c>POST /v1/tenants</c>.</summary>
public sealed record CreateTenantRequest(
    [Required, StringLength(200, MinimumLength = 1)] string Name,
    [Required] GoogleClientRequest Google,
    VapiSettingsRequest? Vapi,
    [HttpUrl] string? WebhookUrl,
    [HttpUrl, MaxLength(50)] IReadOnlyList<string>? AllowedReturnUrls,
    NangoSettingsRequest? Nango = null)
{
    public TenantDefinition ToDefinition() => new(
        Name.Trim(),
        new GoogleClientInput(Google.ClientId, Google.ClientSecret, Google.Scopes ?? GoogleClientRequest.DefaultScopes),
        Vapi?.ToInput(),
        WebhookUrl,
        AllowedReturnUrls ?? [],
        Nango?.ToInput());
}

/// <summary>
/// Nango's <c>auth</c> webhooks for a Nango webhook handler kept unchanged: its URL, the signing key it
/// verifies with (<c>webhookSigningKey</c> of <c>@nangohq/node</c>), and the environment name to report.
/// An empty <c>webhookUrl</c> turns them off.
/// </summary>
public sealed record NangoSettingsRequest(
    [HttpUrl(AllowEmpty = true)] string? WebhookUrl,
    [StringLength(500, MinimumLength = 16)] string? WebhookSigningKey,
    [StringLength(100, MinimumLength = 1)] string? Environment)
{
    public NangoSettingsInput ToInput() => new(WebhookUrl, WebhookSigningKey, Environment);

    public override string ToString() => $"NangoSettingsRequest({WebhookUrl}, {Environment})";
}

/// <summary>The tenant's OAuth client at Google (from the Google Cloud console).</summary>
public sealed record GoogleClientRequest(
    [Required, StringLength(300, MinimumLength = 1)] string ClientId,
    [Required, StringLength(500, MinimumLength = 1)] string ClientSecret,
    [MinLength(1), MaxLength(50)] IReadOnlyList<string>? Scopes)
{
    /// <summary>Read and write access to the user's calendars: what the calendar tools need.</summary>
    public static readonly IReadOnlyList<string> DefaultScopes = ["https://www.googleapis.com/auth/calendar"];
}

/// <summary>The tenant's Vapi account: its private key, concurrency limit and call defaults.</summary>
public sealed record VapiSettingsRequest(
    [StringLength(500, MinimumLength = 1)] string? ApiKey,
    [Range(1, 10_000)] int? ConcurrencyLimit,
    [StringLength(100, MinimumLength = 1)] string? AssistantId,
    [StringLength(100, MinimumLength = 1)] string? PhoneNumberId)
{
    public VapiSettingsInput ToInput() => new(ApiKey, ConcurrencyLimit, AssistantId, PhoneNumberId);
}

/// <summary>
/// <c>PATCH /v1/tenants/{id}</c>: members present replace, members absent stay; <c>"webhookUrl": null</c>
/// (or <c>""</c>) removes the webhook URL.
/// </summary>
public sealed record UpdateTenantRequest(
    [StringLength(200, MinimumLength = 1)] string? Name,
    GoogleClientUpdateRequest? Google,
    VapiSettingsRequest? Vapi,
    [HttpUrl, MaxLength(50)] IReadOnlyList<string>? AllowedReturnUrls,
    NangoSettingsRequest? Nango = null)
{
    /// <summary>Absent: kept. <c>null</c> or <c>""</c>: removed. A URL: replaced (refused when it names an internal address).</summary>
    /// <remarks>
    /// Note: not a constructor parameter, so the serializer sets it only when the body names it: that
    /// is how an explicit null (remove) differs from a missing member (keep).
    /// </remarks>
    [HttpUrl(AllowEmpty = true)]
    public string? WebhookUrl
    {
        get;
        init
        {
            field = value;
            WebhookUrlGiven = true;
        }
    }

    [System.Text.Json.Serialization.JsonIgnore]
    public bool WebhookUrlGiven { get; private init; }

    public TenantChanges ToChanges() => new(
        Name?.Trim(),
        Google is null ? null : new GoogleClientChanges(Google.ClientId, Google.ClientSecret, Google.Scopes),
        Vapi?.ToInput(),
        string.IsNullOrEmpty(WebhookUrl) ? null : WebhookUrl,
        AllowedReturnUrls,
        Nango?.ToInput(),
        ClearWebhookUrl: WebhookUrlGiven && string.IsNullOrEmpty(WebhookUrl));
}

public sealed record GoogleClientUpdateRequest(
    [StringLength(300, MinimumLength = 1)] string? ClientId,
    [StringLength(500, MinimumLength = 1)] string? ClientSecret,
    [MinLength(1), MaxLength(50)] IReadOnlyList<string>? Scopes);
