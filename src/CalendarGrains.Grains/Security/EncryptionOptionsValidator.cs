using Microsoft.Extensions.Options;

namespace CalendarGrains.Security;

/// <summary>Refuses to start without a usable active key, naming the setting to fix.</summary>
public sealed class EncryptionOptionsValidator : IValidateOptions<EncryptionOptions>
{
    public ValidateOptionsResult Validate(string? name, EncryptionOptions options)
    {
        if (string.IsNullOrWhiteSpace(options.ActiveKeyId))
        {
            return ValidateOptionsResult.Fail(
                "Encryption:ActiveKeyId is not set: set it to the id of a key under Encryption:Keys " +
                "(a key is base64 of 32 random bytes, e.g. `openssl rand -base64 32`).");
        }

        if (!options.Keys.ContainsKey(options.ActiveKeyId))
        {
            return ValidateOptionsResult.Fail(
                $"Encryption:Keys:{options.ActiveKeyId} is not set: Encryption:ActiveKeyId names a key that is not configured.");
        }

        var failures = options.Keys
            .Where(pair => !IsAes256Key(pair.Value))
            .Select(pair => $"Encryption:Keys:{pair.Key} is not base64 of exactly 32 bytes.")
            .ToList();
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static bool IsAes256Key(string value)
    {
        Span<byte> buffer = stackalloc byte[64];
        return Convert.TryFromBase64String(value.Trim(), buffer, out var written) && written == 32;
    }
}
