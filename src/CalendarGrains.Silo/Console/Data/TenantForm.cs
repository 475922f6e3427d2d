using CalendarGrains.Silo.Tenants;
using CalendarGrains.Tenants;

namespace CalendarGrains.Silo.WebConsole.Data;

/// <summary>
/// The tenant form's fields, turned into the API's own request records so that the same
/// validation and the same conversion apply (<see cref="CreateTenantRequest"/>, <see cref="UpdateTenantRequest"/>).
/// </summary>
public sealed class TenantForm
{
    public string? Name { get; set; }

    public string? GoogleClientId { get; set; }

    public string? GoogleClientSecret { get; set; }

    public string? VapiApiKey { get; set; }

    public int? ConcurrencyLimit { get; set; }

    public string? AssistantId { get; set; }

    public string? PhoneNumberId { get; set; }

    public string? WebhookUrl { get; set; }

    /// <summary>One URL a line.</summary>
    public string? AllowedReturnUrls { get; set; }

    public static TenantForm From(TenantView tenant) => new()
    {
        Name = tenant.Name,
        GoogleClientId = tenant.Google.ClientId,
        ConcurrencyLimit = tenant.Vapi.ConcurrencyLimit,
        AssistantId = tenant.Vapi.AssistantId,
        PhoneNumberId = tenant.Vapi.PhoneNumberId,
        WebhookUrl = tenant.WebhookUrl,
        AllowedReturnUrls = string.Join('\n', tenant.AllowedReturnUrls),
    };

    public CreateTenantRequest ToCreateRequest() => new(
        Name?.Trim() ?? "",
        new GoogleClientRequest(GoogleClientId?.Trim() ?? "", GoogleClientSecret?.Trim() ?? "", null),
        Vapi(),
        Blank(WebhookUrl),
        ReturnUrls());

    /// <summary>Blank secret fields leave the stored secret as it is (as a member absent from a PATCH does).</summary>
    public UpdateTenantRequest ToUpdateRequest() => new(
        Blank(Name),
        Blank(GoogleClientId) is null && Blank(GoogleClientSecret) is null ? null : new GoogleClientUpdateRequest(Blank(GoogleClientId), Blank(GoogleClientSecret), null),
        Vapi(),
        Blank(WebhookUrl),
        ReturnUrls());

    /// <summary>The form field a validation error of the request belongs to.</summary>
    public static string FieldOf(string memberPath) => memberPath switch
    {
        "Google.ClientId" or "google.clientId" => nameof(GoogleClientId),
        "Google.ClientSecret" or "google.clientSecret" => nameof(GoogleClientSecret),
        "Vapi.ApiKey" or "vapi.apiKey" => nameof(VapiApiKey),
        "Vapi.ConcurrencyLimit" or "vapi.concurrencyLimit" => nameof(ConcurrencyLimit),
        "Vapi.AssistantId" or "vapi.assistantId" => nameof(AssistantId),
        "Vapi.PhoneNumberId" or "vapi.phoneNumberId" => nameof(PhoneNumberId),
        _ when memberPath.StartsWith("AllowedReturnUrls", StringComparison.OrdinalIgnoreCase) => nameof(AllowedReturnUrls),
        _ => string.Concat(char.ToUpperInvariant(memberPath[0]).ToString(), memberPath[1..]),
    };

    private VapiSettingsRequest? Vapi() =>
        Blank(VapiApiKey) is null && ConcurrencyLimit is null && Blank(AssistantId) is null && Blank(PhoneNumberId) is null
            ? null
            : new VapiSettingsRequest(Blank(VapiApiKey), ConcurrencyLimit, Blank(AssistantId), Blank(PhoneNumberId));

    private List<string>? ReturnUrls()
    {
        var urls = (AllowedReturnUrls ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return urls.Length == 0 ? null : [.. urls];
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
