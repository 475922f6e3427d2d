namespace CalendarGrains.Tenants;

/// <summary>What an operator gives to create a tenant.</summary>
[GenerateSerializer, Immutable, Alias("cg.TenantDefinition")]
public sealed record TenantDefinition(
    [property: Id(0)] string Name,
    [property: Id(1)] GoogleClientInput Google,
    [property: Id(2)] VapiSettingsInput? Vapi,
    [property: Id(3)] string? WebhookUrl,
    [property: Id(4)] IReadOnlyList<string> AllowedReturnUrls,
    [property: Id(5)] NangoSettingsInput? Nango = null);

/// <summary>The tenant's Google OAuth client.</summary>
[GenerateSerializer, Immutable, Alias("cg.GoogleClientInput")]
public sealed record GoogleClientInput(
    [property: Id(0)] string ClientId,
    [property: Id(1)] string ClientSecret,
    [property: Id(2)] IReadOnlyList<string> Scopes);

/// <summary>The tenant's Vapi account settings.</summary>
[GenerateSerializer, Immutable, Alias("cg.VapiSettingsInput")]
public sealed record VapiSettingsInput(
    [property: Id(0)] string? ApiKey,
    [property: Id(1)] int? ConcurrencyLimit,
    [property: Id(2)] string? AssistantId,
    [property: Id(3)] string? PhoneNumberId);

/// <summary>A partial update: null members are left unchanged.</summary>
[GenerateSerializer, Immutable, Alias("cg.TenantChanges")]
public sealed record TenantChanges(
    [property: Id(0)] string? Name,
    [property: Id(1)] GoogleClientChanges? Google,
    [property: Id(2)] VapiSettingsInput? Vapi,
    [property: Id(3)] string? WebhookUrl,
    [property: Id(4)] IReadOnlyList<string>? AllowedReturnUrls,
    [property: Id(5)] NangoSettingsInput? Nango = null);

/// <summary>
/// Where the tenant's Nango webhook handler listens (Nango's <c>auth</c> webhooks go there), the key
/// they are signed with (<c>X-Nango-Hmac-Sha256</c>: the handler's <c>webhookSigningKey</c>), and the
/// environment name the payloads carry. In a change, null members stay; an empty URL turns them off.
/// </summary>
[GenerateSerializer, Immutable, Alias("cg.NangoSettingsInput")]
public sealed record NangoSettingsInput(
    [property: Id(0)] string? WebhookUrl,
    [property: Id(1)] string? WebhookSigningKey,
    [property: Id(2)] string? Environment)
{
    public override string ToString() => $"NangoSettingsInput({WebhookUrl}, key {(WebhookSigningKey is null ? "unchanged" : "set")}, {Environment})";
}

/// <summary>A partial update of the Google client: null members are left unchanged.</summary>
[GenerateSerializer, Immutable, Alias("cg.GoogleClientChanges")]
public sealed record GoogleClientChanges(
    [property: Id(0)] string? ClientId,
    [property: Id(1)] string? ClientSecret,
    [property: Id(2)] IReadOnlyList<string>? Scopes);
