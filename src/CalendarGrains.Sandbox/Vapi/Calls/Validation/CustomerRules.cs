using System.Text.Json;
using System.Text.RegularExpressions;

namespace CalendarGrains.Sandbox.Vapi.Calls.Validation;

/// <summary>Checks <c>customer</c> (<c>CreateCustomerDto</c>).</summary>
internal static partial class CustomerRules
{
    private const string Path = "customer";

    public static void Check(JsonElement customer, FieldErrors errors)
    {
        errors.RejectUnknownMembers(customer, Path, KnownMembers.Customer);
        var number = errors.OptionalString(customer, "number", Path, minLength: 3, maxLength: 40);
        errors.OptionalString(customer, "name", Path, maxLength: 40);
        errors.OptionalString(customer, "externalId", Path, maxLength: 40);
        errors.OptionalString(customer, "email", Path);
        errors.OptionalString(customer, "sipUri", Path);
        errors.OptionalString(customer, "extension", Path);

        if (errors.OptionalObject(customer, "assistantOverrides", Path) is { } overrides)
        {
            AssistantRules.CheckOverrides(overrides, FieldErrors.PathOf(Path, "assistantOverrides"), errors);
        }

        if (number is not null && number.Length is >= 3 and <= 40)
        {
            CheckNumberFormat(customer, number, errors);
        }
    }

    /// <summary>Note: E.164 is checked unless the caller turned it off, as the SDK documents for <c>numberE164CheckEnabled</c>.</summary>
    private static void CheckNumberFormat(JsonElement customer, string number, FieldErrors errors)
    {
        var e164Check = !customer.TryGetProperty("numberE164CheckEnabled", out var flag) || flag.ValueKind != JsonValueKind.False;
        if (e164Check && !E164().IsMatch(number))
        {
            errors.Add($"{Path}.number", "must be a valid phone number in the E.164 format. Hot tip, you may be missing the country code (Eg. US: +1).");
        }
        else if (!e164Check && !Alphanumeric().IsMatch(number))
        {
            errors.Add($"{Path}.number", "must contain only alphanumeric characters, optionally after a leading +");
        }
    }

    [GeneratedRegex(@"^\+[1-9][0-9]{1,14}$", RegexOptions.CultureInvariant)]
    private static partial Regex E164();

    [GeneratedRegex(@"^\+?[a-zA-Z0-9]+$", RegexOptions.CultureInvariant)]
    private static partial Regex Alphanumeric();
}
