using Microsoft.Extensions.Options;

namespace CalendarGrains.Tenants;

/// <summary>The <c>Tenants:*</c> settings.</summary>
public sealed class TenantOptions
{
    public const string Section = "Tenants";

    /// <summary>
    /// API keys one tenant may have at once. Keys are for rotation (a new one beside the old until
    /// the old is revoked), so a few are plenty; the cap keeps a tenant's record and the key grains
    /// it owns from growing without end.
    /// </summary>
    public int MaxApiKeys { get; set; } = 20;
}

public sealed class TenantOptionsValidator : IValidateOptions<TenantOptions>
{
    public const int MostApiKeys = 1_000;

    public ValidateOptionsResult Validate(string? name, TenantOptions options) =>
        options.MaxApiKeys is < 1 or > MostApiKeys
            ? ValidateOptionsResult.Fail($"{TenantOptions.Section}:{nameof(options.MaxApiKeys)} must be between 1 and {MostApiKeys}.")
            : ValidateOptionsResult.Success;
}
