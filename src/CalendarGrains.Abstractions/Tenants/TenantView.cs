namespace CalendarGrains.Tenants;

/// <summary>A tenant as the API shows it: no secret, only whether one is set.</summary>
[GenerateSerializer, Immutable, Alias("cg.TenantView")]
public sealed record TenantView(
    [property: Id(0)] string Id,
    [property: Id(1)] string Name,
    [property: Id(2)] GoogleClientView Google,
    [property: Id(3)] VapiSettingsView Vapi,
    [property: Id(4)] string? WebhookUrl,
    [property: Id(5)] IReadOnlyList<string> AllowedReturnUrls,
    [property: Id(6)] IReadOnlyList<ApiKeyView> ApiKeys,
    [property: Id(7)] DateTimeOffset CreatedAt,
    [property: Id(8)] DateTimeOffset UpdatedAt,
    [property: Id(9)] NangoSettingsView? Nango = null);

/// <summary>The tenant's Nango webhook settings, without the signing key.</summary>
[GenerateSerializer, Immutable, Alias("cg.NangoSettingsView")]
public sealed record NangoSettingsView(
    [property: Id(0)] string? WebhookUrl,
    [property: Id(1)] bool HasWebhookSigningKey,
    [property: Id(2)] string Environment);

[GenerateSerializer, Immutable, Alias("cg.GoogleClientView")]
public sealed record GoogleClientView(
    [property: Id(0)] string ClientId,
    [property: Id(1)] IReadOnlyList<string> Scopes,
    [property: Id(2)] bool HasClientSecret);

[GenerateSerializer, Immutable, Alias("cg.VapiSettingsView")]
public sealed record VapiSettingsView(
    [property: Id(0)] bool HasApiKey,
    [property: Id(1)] int ConcurrencyLimit,
    [property: Id(2)] string? AssistantId,
    [property: Id(3)] string? PhoneNumberId);

/// <summary>An API key as listed: its id and the first characters, enough to recognise it.</summary>
[GenerateSerializer, Immutable, Alias("cg.ApiKeyView")]
public sealed record ApiKeyView(
    [property: Id(0)] string Id,
    [property: Id(1)] string Prefix,
    [property: Id(2)] DateTimeOffset CreatedAt);

/// <summary>A new API key: the plaintext is shown this once and stored only as a hash.</summary>
[GenerateSerializer, Immutable, Alias("cg.ApiKeyIssued")]
public sealed record ApiKeyIssued(
    [property: Id(0)] string Id,
    [property: Id(1)] string ApiKey,
    [property: Id(2)] DateTimeOffset CreatedAt);

/// <summary>What asking for another API key came to: the key, or why there is none.</summary>
/// <param name="Outcome">Added, or why not.</param>
/// <param name="Issued">The new key, when added.</param>
/// <param name="Limit">The most keys a tenant may have (<c>Tenants:MaxApiKeys</c>).</param>
[GenerateSerializer, Immutable, Alias("cg.ApiKeyAddition")]
public sealed record ApiKeyAddition(
    [property: Id(0)] ApiKeyAdditionOutcome Outcome,
    [property: Id(1)] ApiKeyIssued? Issued,
    [property: Id(2)] int Limit);

public enum ApiKeyAdditionOutcome
{
    Added,
    TenantNotFound,

    /// <summary>The tenant has as many keys as it may: revoke one first.</summary>
    LimitReached,
}

/// <summary>The answer to creating a tenant: its view and the secrets shown only this once.</summary>
[GenerateSerializer, Immutable, Alias("cg.TenantCreated")]
public sealed record TenantCreated(
    [property: Id(0)] TenantView Tenant,
    [property: Id(1)] ApiKeyIssued ApiKey,
    [property: Id(2)] string WebhookSecret,
    [property: Id(3)] string VapiServerSecret);
