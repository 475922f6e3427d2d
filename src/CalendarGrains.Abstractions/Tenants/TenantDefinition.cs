namespace CalendarGrains.Tenants;

/// <summary>What an operator gives to create a tenant.</summary>
[GenerateSerializer, Immutable, Alias("cg.TenantDefinition")]
public sealed record TenantDefinition(
    [property: Id(0)] string Name,
    [property: Id(1)] GoogleClientInput Google,
    [property: Id(2)] VapiSettingsInput? Vapi,
    [property: Id(3)] string? WebhookUrl,
    [property: Id(4)] IReadOnlyList<string> AllowedReturnUrls);

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
    [property: Id(4)] IReadOnlyList<string>? AllowedReturnUrls);

/// <summary>A partial update of the Google client: null members are left unchanged.</summary>
[GenerateSerializer, Immutable, Alias("cg.GoogleClientChanges")]
public sealed record GoogleClientChanges(
    [property: Id(0)] string? ClientId,
    [property: Id(1)] string? ClientSecret,
    [property: Id(2)] IReadOnlyList<string>? Scopes);
