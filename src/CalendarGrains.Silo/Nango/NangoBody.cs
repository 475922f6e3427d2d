using System.Globalization;
using System.Text.Json;

namespace CalendarGrains.Silo.Nango;

/// <summary>
/// Checks a JSON body the way Nango's strict zod objects do: known members only, each of its type,
/// every issue collected; <see cref="Invalid"/> answers them as <c>400 invalid_body</c>.
/// </summary>
public sealed class NangoBody
{
    private readonly JsonElement _body;
    private readonly List<NangoValidationError> _errors = [];

    public NangoBody(JsonElement body, params string[] known)
    {
        _body = body;
        if (body.ValueKind != JsonValueKind.Object)
        {
            Add("invalid_type", "", "Invalid input: expected object");
            return;
        }

        foreach (var member in body.EnumerateObject().Where(member => !known.Contains(member.Name, StringComparer.Ordinal)))
        {
            Add("unrecognized_keys", member.Name, $"Unrecognized key: \"{member.Name}\"");
        }
    }

    /// <summary>The path prefix of a nested object's issues (e.g. <c>credentials</c>).</summary>
    public string? Prefix { get; init; }

    public bool IsValid => _errors.Count == 0;

    public IReadOnlyList<NangoValidationError> Errors => _errors;

    /// <summary>Reads the body as JSON; an unreadable body answers <c>400 invalid_body</c>, a too large one <c>413</c>.</summary>
    public static async Task<(JsonElement Body, IResult? Failure)> ReadAsync(HttpRequest request)
    {
        try
        {
            using var document = await JsonDocument.ParseAsync(request.Body, cancellationToken: request.HttpContext.RequestAborted);
            return (document.RootElement.Clone(), null);
        }
        catch (JsonException)
        {
            return (default, NangoJson.Error(StatusCodes.Status400BadRequest, "invalid_body", "The body is not valid JSON."));
        }
        catch (BadHttpRequestException tooLarge) when (tooLarge.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return (default, NangoJson.Error(StatusCodes.Status413PayloadTooLarge, "request_too_large", "The body is too large."));
        }
    }

    public string? Text(string name, bool required)
    {
        if (!TryGet(name, required, out var value))
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.String || value.GetString()!.Length == 0)
        {
            Add("invalid_type", name, "Invalid input: expected a non-empty string");
            return null;
        }

        return value.GetString();
    }

    public JsonElement? Record(string name, bool required)
    {
        if (!TryGet(name, required, out var value))
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Object)
        {
            Add("invalid_type", name, "Invalid input: expected record");
            return null;
        }

        return value;
    }

    public IReadOnlyList<string>? StringOrStrings(string name)
    {
        if (!TryGet(name, required: true, out var value))
        {
            return null;
        }

        IReadOnlyList<string>? ids = value.ValueKind switch
        {
            JsonValueKind.String when value.GetString()!.Length > 0 => [value.GetString()!],
            JsonValueKind.Array when value.GetArrayLength() > 0 && value.EnumerateArray().All(v => v.ValueKind == JsonValueKind.String && v.GetString()!.Length > 0) =>
                [.. value.EnumerateArray().Select(v => v.GetString()!)],
            _ => null,
        };
        if (ids is null)
        {
            Add("invalid_union", name, "Invalid input: expected a string or an array of strings");
        }

        return ids;
    }

    public DateTimeOffset? Date(string name)
    {
        if (!TryGet(name, required: false, out var value))
        {
            return null;
        }

        if (value.ValueKind == JsonValueKind.String
            && DateTimeOffset.TryParse(value.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var date))
        {
            return date;
        }

        Add("invalid_type", name, "Invalid input: expected date");
        return null;
    }

    /// <summary>An array of non-empty strings, or null when absent (an issue when it is something else).</summary>
    public IReadOnlyList<string>? Strings(string name)
    {
        if (!TryGet(name, required: false, out var value))
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Array || !value.EnumerateArray().All(v => v.ValueKind == JsonValueKind.String && v.GetString()!.Length > 0))
        {
            Add("invalid_type", name, "Invalid input: expected an array of strings");
            return null;
        }

        return [.. value.EnumerateArray().Select(v => v.GetString()!)];
    }

    /// <summary>An issue zod's <c>custom</c> checks raise (e.g. "Integration does not exist"), at a nested path.</summary>
    public void Custom(string message, params string[] path) =>
        _errors.Add(new NangoValidationError("custom", message, Prefix is null ? path : [Prefix, .. path]));

    public IResult Invalid() => NangoJson.Error(StatusCodes.Status400BadRequest, "invalid_body", errors: _errors);

    private bool TryGet(string name, bool required, out JsonElement value)
    {
        value = default;
        if (_body.ValueKind == JsonValueKind.Object && _body.TryGetProperty(name, out value) && value.ValueKind != JsonValueKind.Null)
        {
            return true;
        }

        if (required && _body.ValueKind == JsonValueKind.Object)
        {
            Add("invalid_type", name, "Invalid input: expected a value, received undefined");
        }

        return false;
    }

    private void Add(string code, string name, string message) =>
        _errors.Add(new NangoValidationError(code, message, Prefix is null ? (name.Length == 0 ? [] : [name]) : name.Length == 0 ? [Prefix] : [Prefix, name]));
}
