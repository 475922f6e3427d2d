using System.Text.RegularExpressions;

namespace CalendarGrains.Silo.PhoneNumbers;

/// <summary>
/// How a phone number is named in <c>/v1/phone-numbers/{phoneNumber}</c>: Vapi's phone number id (what
/// an inbound call's <c>call.phoneNumberId</c> carries), or the number itself in E.164. Spaces, dashes,
/// dots and brackets in a number are dropped: <c>+1 (555) 010-0100</c> is <c>+15550100100</c>.
/// </summary>
public static partial class PhoneNumberKeys
{
    public static bool TryNormalize(string? raw, out string key)
    {
        key = "";
        var text = raw?.Trim();
        if (string.IsNullOrEmpty(text))
        {
            return false;
        }

        if (text.StartsWith('+'))
        {
            var digits = Formatting().Replace(text, "");
            if (!E164().IsMatch(digits))
            {
                return false;
            }

            key = digits;
            return true;
        }

        if (!VapiId().IsMatch(text) || text.All(char.IsAsciiDigit))
        {
            // Digits alone are a number without its country code, not an id: ask for E.164.
            return false;
        }

        key = text;
        return true;
    }

    /// <summary>A number as Vapi writes it (E.164), or null when it is not one.</summary>
    public static string? NumberOrNull(string? raw) =>
        raw is not null && raw.TrimStart().StartsWith('+') && TryNormalize(raw, out var key) ? key : null;

    [GeneratedRegex(@"[\s\-().]")]
    private static partial Regex Formatting();

    [GeneratedRegex(@"^\+[1-9][0-9]{6,14}$")]
    private static partial Regex E164();

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9_\-]{0,99}$")]
    private static partial Regex VapiId();
}
