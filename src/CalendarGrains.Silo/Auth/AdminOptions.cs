using Microsoft.Extensions.Options;

namespace CalendarGrains.Silo.Auth;

/// <summary>The operator's bearer key for the tenant routes and the dashboard.</summary>
public sealed class AdminOptions
{
    public const string Section = "Admin";

    public string? ApiKey { get; set; }
}

public sealed class AdminOptionsValidator : IValidateOptions<AdminOptions>
{
    /// <summary>Long enough that guessing it is hopeless.</summary>
    public const int MinimumLength = 24;

    public ValidateOptionsResult Validate(string? name, AdminOptions options)
    {
        if (string.IsNullOrWhiteSpace(options.ApiKey))
        {
            return ValidateOptionsResult.Fail("Admin:ApiKey is not set: set it to a long random string (e.g. `openssl rand -base64 32`).");
        }

        return options.ApiKey.Length < MinimumLength
            ? ValidateOptionsResult.Fail($"Admin:ApiKey is too short: use at least {MinimumLength} random characters.")
            : ValidateOptionsResult.Success;
    }
}
