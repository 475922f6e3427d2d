using CalendarGrains.Security;

namespace CalendarGrains.Tenants;

/// <summary>A tenant as stored. Every secret is sealed; API keys are kept only as hashes.</summary>
[GenerateSerializer, Alias("cg.TenantState")]
public sealed class TenantState
{
    /// <summary>Null until the tenant is created.</summary>
    [Id(0)] public string? Name { get; set; }
    [Id(1)] public string GoogleClientId { get; set; } = "";
    [Id(2)] public EncryptedSecret? GoogleClientSecret { get; set; }
    [Id(3)] public List<string> GoogleScopes { get; set; } = [];
    [Id(4)] public EncryptedSecret? VapiApiKey { get; set; }
    [Id(5)] public int VapiConcurrencyLimit { get; set; } = TenantDefaults.VapiConcurrencyLimit;
    [Id(6)] public string? VapiAssistantId { get; set; }
    [Id(7)] public string? VapiPhoneNumberId { get; set; }
    [Id(8)] public string? WebhookUrl { get; set; }
    [Id(9)] public List<string> AllowedReturnUrls { get; set; } = [];
    [Id(10)] public EncryptedSecret? WebhookSecret { get; set; }
    [Id(11)] public EncryptedSecret? VapiServerSecret { get; set; }
    [Id(12)] public List<StoredApiKey> ApiKeys { get; set; } = [];
    [Id(13)] public DateTimeOffset CreatedAt { get; set; }
    [Id(14)] public DateTimeOffset UpdatedAt { get; set; }
    [Id(15)] public string? NangoWebhookUrl { get; set; }
    [Id(16)] public EncryptedSecret? NangoWebhookSigningKey { get; set; }
    [Id(17)] public string? NangoEnvironment { get; set; }
}

/// <summary>An API key as stored: the SHA-256 of the key and a short prefix to recognise it by.</summary>
[GenerateSerializer, Immutable, Alias("cg.StoredApiKey")]
public sealed record StoredApiKey(
    [property: Id(0)] string Id,
    [property: Id(1)] string Hash,
    [property: Id(2)] string Prefix,
    [property: Id(3)] DateTimeOffset CreatedAt);

public static class TenantDefaults
{
    /// <summary>Vapi's default concurrent-call limit per account.</summary>
    public const int VapiConcurrencyLimit = 10;

    /// <summary>The environment name Nango webhooks carry when none is set (Nango's production environment).</summary>
    public const string NangoEnvironment = "prod";

    /// <summary>The set, in the ordered index, that lists every tenant.</summary>
    public const string IndexSet = "tenants";
}
