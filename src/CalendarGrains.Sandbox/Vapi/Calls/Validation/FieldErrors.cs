using System.Globalization;
using System.Text.Json;

namespace CalendarGrains.Sandbox.Vapi.Calls.Validation;

/// <summary>
/// Collects request-validation messages worded as Vapi's validator (NestJS + class-validator) words them:
/// <c>"customer.number must be longer than or equal to 3 characters"</c>,
/// <c>"property metadata should not exist"</c>, <c>"customer.property foo should not exist"</c>.
/// </summary>
internal sealed class FieldErrors
{
    private readonly List<string> _messages = [];

    public IReadOnlyList<string> Messages => _messages;

    public bool Any => _messages.Count > 0;

    public static string PathOf(string parentPath, string name) =>
        parentPath.Length == 0 ? name : $"{parentPath}.{name}";

    public void Add(string path, string constraint) => _messages.Add($"{path} {constraint}");

    /// <summary>Vapi rejects members its DTO does not declare (forbidNonWhitelisted).</summary>
    public void RejectUnknownMembers(JsonElement value, string path, IReadOnlySet<string> knownMembers)
    {
        foreach (var member in value.EnumerateObject())
        {
            if (!knownMembers.Contains(member.Name))
            {
                _messages.Add(path.Length == 0
                    ? $"property {member.Name} should not exist"
                    : $"{path}.property {member.Name} should not exist");
            }
        }
    }

    /// <summary>An optional string member: answers its value, or null when absent, null, or of another type.</summary>
    public string? OptionalString(JsonElement parent, string name, string parentPath, int? minLength = null, int? maxLength = null)
    {
        if (!parent.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        var path = PathOf(parentPath, name);
        if (value.ValueKind != JsonValueKind.String)
        {
            Add(path, "must be a string");
            return null;
        }

        var text = value.GetString()!;
        if (minLength is { } min && text.Length < min)
        {
            Add(path, string.Create(CultureInfo.InvariantCulture, $"must be longer than or equal to {min} characters"));
        }

        if (maxLength is { } max && text.Length > max)
        {
            Add(path, string.Create(CultureInfo.InvariantCulture, $"must be shorter than or equal to {max} characters"));
        }

        return text;
    }

    /// <summary>A string member that must be present.</summary>
    public string? RequiredString(JsonElement parent, string name, string parentPath)
    {
        if (!parent.TryGetProperty(name, out var value) || value.ValueKind != JsonValueKind.String)
        {
            Add(PathOf(parentPath, name), "must be a string");
            return null;
        }

        return value.GetString();
    }

    /// <summary>An optional nested object: answers it, or null when absent, null, or not an object.</summary>
    public JsonElement? OptionalObject(JsonElement parent, string name, string parentPath)
    {
        if (!parent.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Object)
        {
            Add(PathOf(parentPath, name), "must be an object");
            return null;
        }

        return value;
    }

    /// <summary>A nested object that must be present.</summary>
    public JsonElement? RequiredObject(JsonElement parent, string name, string parentPath)
    {
        if (!parent.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            Add(PathOf(parentPath, name), "should not be null or undefined");
            return null;
        }

        return OptionalObject(parent, name, parentPath);
    }

    /// <summary>A string member restricted to a set of values (class-validator's IsIn / IsEnum).</summary>
    public string? OneOf(JsonElement parent, string name, string parentPath, IReadOnlyCollection<string> allowed)
    {
        var found = parent.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;
        if (found is null || !allowed.Contains(found))
        {
            Add(PathOf(parentPath, name), $"must be one of the following values: {string.Join(", ", allowed)}");
            return null;
        }

        return found;
    }

    /// <summary>An optional absolute http(s) URL. Note: unlike class-validator's IsUrl, no TLD is required, so loopback sandboxes work.</summary>
    public void OptionalUrl(JsonElement parent, string name, string parentPath)
    {
        var text = OptionalString(parent, name, parentPath);
        if (text is not null && !IsHttpUrl(text))
        {
            Add(PathOf(parentPath, name), "must be a URL address");
        }
    }

    public void OptionalIsoDate(JsonElement parent, string name, string parentPath, out DateTimeOffset? parsed, bool required = false)
    {
        parsed = null;
        var present = parent.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null;
        if (!present && !required)
        {
            return;
        }

        if (present && value.ValueKind == JsonValueKind.String && IsoDates.TryParse(value.GetString(), out var date))
        {
            parsed = date;
            return;
        }

        Add(PathOf(parentPath, name), "must be a valid ISO 8601 date string");
    }

    private static bool IsHttpUrl(string text) =>
        Uri.TryCreate(text, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps);
}
