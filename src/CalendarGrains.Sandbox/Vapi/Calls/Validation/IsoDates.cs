using System.Globalization;

namespace CalendarGrains.Sandbox.Vapi.Calls.Validation;

/// <summary>ISO 8601 parsing for request bodies and query strings; a time without an offset is UTC.</summary>
internal static class IsoDates
{
    public static bool TryParse(string? text, out DateTimeOffset value) =>
        DateTimeOffset.TryParse(
            text,
            CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal,
            out value);
}
