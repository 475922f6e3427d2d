using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace CalendarGrains.Silo.Tools;

/// <summary>A tool's arguments were not usable; the message says which one and how, for the assistant to fix.</summary>
public sealed class ToolArgumentException(string message) : Exception(message);

/// <summary>
/// The arguments of one tool call, read with messages an LLM can act on. Vapi's SDK types them as
/// a JSON string, its docs show an object: both are accepted.
/// </summary>
public sealed partial class ToolArguments(JsonElement arguments)
{
    public static ToolArguments From(JsonElement raw)
    {
        if (raw.ValueKind == JsonValueKind.Object)
        {
            return new ToolArguments(raw.Clone());
        }

        if (raw.ValueKind == JsonValueKind.String)
        {
            try
            {
                using var parsed = JsonDocument.Parse(raw.GetString() is { Length: > 0 } text ? text : "{}");
                if (parsed.RootElement.ValueKind == JsonValueKind.Object)
                {
                    return new ToolArguments(parsed.RootElement.Clone());
                }
            }
            catch (JsonException)
            {
                // Falls through to the message below.
            }
        }

        if (raw.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null)
        {
            return new ToolArguments(JsonDocument.Parse("{}").RootElement.Clone());
        }

        throw new ToolArgumentException("The arguments are not a JSON object.");
    }

    public string? OptionalString(string name) =>
        arguments.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } text ? text.Trim() : null;

    public string RequiredString(string name) =>
        OptionalString(name) ?? throw new ToolArgumentException($"{name} is required.");

    public int OptionalInt(string name, int fallback, int min, int max)
    {
        if (!arguments.TryGetProperty(name, out var value) || value.ValueKind is JsonValueKind.Null)
        {
            return fallback;
        }

        var number = value.ValueKind switch
        {
            JsonValueKind.Number when value.TryGetInt32(out var n) => n,
            JsonValueKind.String when int.TryParse(value.GetString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) => n,
            _ => throw new ToolArgumentException($"{name} must be a whole number."),
        };
        return number >= min && number <= max ? number : throw new ToolArgumentException($"{name} must be between {min} and {max}.");
    }

    public IReadOnlyList<string> OptionalStrings(string name)
    {
        if (!arguments.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return [];
        }

        return value.ValueKind == JsonValueKind.Array
            ? [.. value.EnumerateArray().Select(item => item.ValueKind switch
            {
                JsonValueKind.String => item.GetString()!,
                JsonValueKind.Object when item.TryGetProperty("email", out var email) && email.ValueKind == JsonValueKind.String => email.GetString()!,
                _ => throw new ToolArgumentException($"{name} must be a list of email addresses."),
            })]
            : throw new ToolArgumentException($"{name} must be a list.");
    }

    /// <summary>An IANA time zone such as Europe/Berlin (Windows ids are accepted too).</summary>
    public TimeZoneInfo TimeZone(string name = "timeZone")
    {
        var id = OptionalString(name) ?? "UTC";
        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById(id);
        }
        catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            throw new ToolArgumentException($"{name} '{id}' is not a known time zone; use an IANA name such as America/New_York.");
        }
    }

    /// <summary>
    /// An ISO 8601 date-time; without an offset it is read in <paramref name="zone"/> (what a caller
    /// means by "3 pm"). A bare date is the start of that day (or, for an end, the start of the next).
    /// </summary>
    public DateTimeOffset DateTime(string name, TimeZoneInfo zone, bool isEnd = false)
    {
        var text = RequiredString(name);
        if (HasOffset().IsMatch(text) && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var exact))
        {
            return exact;
        }

        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
        {
            return FreeWindows.Local(isEnd ? day.AddDays(1) : day, TimeOnly.MinValue, zone);
        }

        if (System.DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var local))
        {
            return FreeWindows.Local(DateOnly.FromDateTime(local), TimeOnly.FromDateTime(local), zone);
        }

        throw new ToolArgumentException($"{name} must be an ISO 8601 date-time such as 2026-11-25T14:00:00.");
    }

    public TimeOnly TimeOfDay(string name, TimeOnly fallback)
    {
        var text = OptionalString(name);
        return text is null ? fallback
            : TimeOnly.TryParse(text, CultureInfo.InvariantCulture, out var time) ? time
            : throw new ToolArgumentException($"{name} must be a time of day such as 09:00.");
    }

    [GeneratedRegex(@"(Z|[+-]\d{2}(:?\d{2})?)$", RegexOptions.IgnoreCase)]
    private static partial Regex HasOffset();
}
