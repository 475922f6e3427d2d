using CalendarGrains.Security;

namespace CalendarGrains.Tenants;

/// <summary>
/// The tenant's secrets still sealed: they cross grain boundaries as ciphertext and are opened
/// only where they are used.
/// </summary>
[GenerateSerializer, Immutable, Alias("cg.TenantSecrets")]
public sealed record TenantSecrets(
    [property: Id(0)] string TenantId,
    [property: Id(1)] string GoogleClientId,
    [property: Id(2)] EncryptedSecret GoogleClientSecret,
    [property: Id(3)] EncryptedSecret? VapiApiKey,
    [property: Id(4)] EncryptedSecret WebhookSecret,
    [property: Id(5)] EncryptedSecret VapiServerSecret,
    [property: Id(6)] EncryptedSecret? NangoWebhookSigningKey = null);
