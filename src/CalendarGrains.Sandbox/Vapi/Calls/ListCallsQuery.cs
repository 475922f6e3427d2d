using System.Globalization;
using CalendarGrains.Sandbox.Vapi.Calls.Validation;

namespace CalendarGrains.Sandbox.Vapi.Calls;

/// <summary>The query of <c>GET /call</c> (SDK <c>ListCallsRequest</c>).</summary>
internal sealed record ListCallsQuery
{
    public const int DefaultLimit = 100;
    public const int MaxLimit = 1000;

    private static readonly string[] TimeFilters =
    [
        "createdAtGt", "createdAtLt", "createdAtGe", "createdAtLe",
        "updatedAtGt", "updatedAtLt", "updatedAtGe", "updatedAtLe",
    ];

    private static readonly HashSet<string> KnownParameters =
        new(["id", "assistantId", "phoneNumberId", "limit", .. TimeFilters], StringComparer.Ordinal);

    public string? Id { get; private init; }

    public string? AssistantId { get; private init; }

    public string? PhoneNumberId { get; private init; }

    public int Limit { get; private init; } = DefaultLimit;

    private Dictionary<string, DateTimeOffset> Times { get; } = new(StringComparer.Ordinal);

    /// <summary>Reads the query; unknown parameters and bad values are errors, worded as Vapi's validator words them.</summary>
    public static ListCallsQuery Parse(IQueryCollection query, FieldErrors errors)
    {
        foreach (var name in query.Keys.Where(name => !KnownParameters.Contains(name)))
        {
            errors.Add($"property {name}", "should not exist");
        }

        var parsed = new ListCallsQuery
        {
            Id = query["id"].FirstOrDefault(),
            AssistantId = query["assistantId"].FirstOrDefault(),
            PhoneNumberId = query["phoneNumberId"].FirstOrDefault(),
            Limit = ParseLimit(query["limit"].FirstOrDefault(), errors),
        };

        foreach (var name in TimeFilters)
        {
            if (query[name].FirstOrDefault() is not { } text)
            {
                continue;
            }

            if (IsoDates.TryParse(text, out var time))
            {
                parsed.Times[name] = time;
            }
            else
            {
                errors.Add(name, "must be a valid ISO 8601 date string");
            }
        }

        return parsed;
    }

    public bool Matches(EmulatedCall call) =>
        (Id is null || call.Id == Id) &&
        (AssistantId is null || call.Request.String("assistantId") == AssistantId) &&
        (PhoneNumberId is null || call.Request.String("phoneNumberId") == PhoneNumberId) &&
        Times.All(filter => Passes(filter.Key, filter.Value, call));

    private static bool Passes(string filter, DateTimeOffset bound, EmulatedCall call)
    {
        var value = filter.StartsWith("created", StringComparison.Ordinal) ? call.CreatedAt : call.UpdatedAt;
        return filter[^2..] switch
        {
            "Gt" => value > bound,
            "Lt" => value < bound,
            "Ge" => value >= bound,
            _ => value <= bound,
        };
    }

    private static int ParseLimit(string? text, FieldErrors errors)
    {
        if (text is null)
        {
            return DefaultLimit;
        }

        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var limit))
        {
            errors.Add("limit", "must be a number conforming to the specified constraints");
            return DefaultLimit;
        }

        if (limit > MaxLimit)
        {
            errors.Add("limit", string.Create(CultureInfo.InvariantCulture, $"must not be greater than {MaxLimit}"));
        }
        else if (limit < 0)
        {
            errors.Add("limit", "must not be less than 0");
        }

        return (int)Math.Clamp(limit, 0, MaxLimit);
    }
}
