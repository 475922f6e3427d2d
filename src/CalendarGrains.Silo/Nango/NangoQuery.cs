using System.Globalization;

namespace CalendarGrains.Silo.Nango;

/// <summary>
/// Reads query and body members the way Nango's zod schemas check them, collecting every issue;
/// <see cref="Invalid"/> answers them as Nango does (<c>400 invalid_query_params</c> / <c>invalid_body</c>).
/// </summary>
public sealed class NangoQuery(IQueryCollection query)
{
    private readonly List<NangoValidationError> _errors = [];

    public bool IsValid => _errors.Count == 0;

    public string? RequiredString(string name)
    {
        var value = query[name].ToString();
        if (value.Length == 0)
        {
            Add("invalid_type", name, "Invalid input: expected string, received undefined");
            return null;
        }

        if (value.Length > 255)
        {
            Add("too_big", name, "Too big: expected string to have <=255 characters");
            return null;
        }

        return value;
    }

    public string? OptionalString(string name) => query.TryGetValue(name, out var value) && value.ToString().Length > 0 ? value.ToString() : null;

    /// <summary>zod's <c>stringbool</c>: true/false (and 1/0, yes/no, on/off), default false.</summary>
    public bool OptionalBool(string name)
    {
        if (!query.TryGetValue(name, out var raw))
        {
            return false;
        }

        switch (raw.ToString().ToLowerInvariant())
        {
            case "true" or "1" or "yes" or "on" or "y" or "enabled":
                return true;
            case "false" or "0" or "no" or "off" or "n" or "disabled":
                return false;
            default:
                Add("invalid_value", name, "Invalid input: expected a boolean string");
                return false;
        }
    }

    public int? OptionalInt(string name, int min, int max)
    {
        if (!query.TryGetValue(name, out var raw))
        {
            return null;
        }

        if (!int.TryParse(raw.ToString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) || value < min || value > max)
        {
            Add("invalid_value", name, $"Invalid input: expected a number between {min} and {max}");
            return null;
        }

        return value;
    }

    public IResult Invalid() => NangoJson.Error(StatusCodes.Status400BadRequest, "invalid_query_params", errors: _errors);

    private void Add(string code, string name, string message) => _errors.Add(new NangoValidationError(code, message, [name]));
}
