using System.Globalization;
using System.Text.Json;

namespace CalendarGrains.Silo.Tools;

/// <summary>A tool's arguments were not usable; the message says which one and how, for the assistant to fix.</summary>
public sealed class ToolArgumentException(string message) : Exception(message);

/// <summary>
/// The arguments of one tool call, read with messages an LLM can act on. Vapi's SDK types them as
/// a JSON string, its docs show an object: both are accepted.
/// </summary>
public sealed class ToolArguments(JsonElement arguments)
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

    public int OptionalInt(string name, int fallback, int min, int max) => IntOrNull(name, min, max) ?? fallback;

    /// <summary>A whole number in [min, max], or null when the argument is absent.</summary>
    public int? IntOrNull(string name, int min, int max)
    {
        if (!arguments.TryGetProperty(name, out var value) || value.ValueKind is JsonValueKind.Null)
        {
            return null;
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

    /// <summary>The caller's time zone when the tool call names one (IANA; Windows ids are mapped), else null.</summary>
    public NodaTime.DateTimeZone? OptionalZone(string name = "timeZone")
    {
        var id = OptionalString(name);
        if (id is null)
        {
            return null;
        }

        return ZoneNames.TryFind(id, out var zone, out var problem) ? zone : throw new ToolArgumentException($"{name}: {problem}.");
    }

    /// <summary>A date (the whole day) or a date-time, with or without an offset: see <see cref="TimeArgument.TryParse"/>.</summary>
    public TimeArgument Time(string name) =>
        OptionalTime(name) ?? throw new ToolArgumentException($"{name} is required.");

    public TimeArgument? OptionalTime(string name)
    {
        var text = OptionalString(name);
        if (text is null)
        {
            return null;
        }

        return TimeArgument.TryParse(text, out var parsed)
            ? parsed
            : throw new ToolArgumentException($"{name} must be an ISO 8601 date such as 2026-11-25 or date-time such as 2026-11-25T14:00:00, not '{text}'.");
    }
}
