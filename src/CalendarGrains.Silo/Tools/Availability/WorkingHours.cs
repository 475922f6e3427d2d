using System.Text.Json;
using System.Text.RegularExpressions;
using NodaTime;
using NodaTime.Text;

namespace CalendarGrains.Silo.Tools;

/// <summary>A part of a working day, e.g. 09:00–12:00; <see cref="End"/> null means until midnight (written 24:00).</summary>
public readonly record struct DayPart(LocalTime Start, LocalTime? End);

/// <summary>
/// Working hours as configured (tenant default, or a connection's <c>workingHours</c> metadata):
/// <c>{"timeZone":"Europe/Berlin","days":{"mon":["09:00-12:00","13:00-17:00"],"tue":["09:00-17:00"],...}}</c>.
/// A day left out is closed. <c>timeZone</c> is optional: without it the hours are in the calendar's
/// own time zone. Parts end after they start (<c>24:00</c> ends at midnight); a shift across midnight
/// is two parts on two days.
/// </summary>
public sealed partial record WorkingHoursSpec(string? TimeZone, IReadOnlyDictionary<IsoDayOfWeek, IReadOnlyList<DayPart>> Days)
{
    private static readonly LocalTimePattern Clock = LocalTimePattern.CreateWithInvariantCulture("HH:mm");

    private static readonly Dictionary<string, IsoDayOfWeek> DayNames = new(StringComparer.OrdinalIgnoreCase)
    {
        ["mon"] = IsoDayOfWeek.Monday,
        ["tue"] = IsoDayOfWeek.Tuesday,
        ["wed"] = IsoDayOfWeek.Wednesday,
        ["thu"] = IsoDayOfWeek.Thursday,
        ["fri"] = IsoDayOfWeek.Friday,
        ["sat"] = IsoDayOfWeek.Saturday,
        ["sun"] = IsoDayOfWeek.Sunday,
    };

    /// <summary>What applies when neither the connection nor the tenant configured any: Monday to Friday, 09:00–17:00.</summary>
    public static WorkingHoursSpec Default { get; } = new(null, Enumerable.Range(1, 5).ToDictionary(
        day => (IsoDayOfWeek)day, _ => (IReadOnlyList<DayPart>)[new DayPart(new LocalTime(9, 0), new LocalTime(17, 0))]));

    public static bool TryParse(JsonElement json, out WorkingHoursSpec? spec, out string? problem)
    {
        spec = null;
        problem = null;
        if (json.ValueKind != JsonValueKind.Object)
        {
            problem = "workingHours must be an object {\"timeZone\"?, \"days\": {\"mon\": [\"09:00-17:00\"], ...}}";
            return false;
        }

        string? zoneId = null;
        if (json.TryGetProperty("timeZone", out var zone) && zone.ValueKind != JsonValueKind.Null)
        {
            if (zone.ValueKind != JsonValueKind.String)
            {
                problem = "workingHours.timeZone must be an IANA time zone name such as Europe/Berlin";
                return false;
            }

            if (!ZoneNames.TryFind(zone.GetString(), out var found, out var zoneProblem))
            {
                problem = $"workingHours.timeZone: {zoneProblem}";
                return false;
            }

            zoneId = found.Id;
        }

        if (!json.TryGetProperty("days", out var days) || days.ValueKind != JsonValueKind.Object)
        {
            problem = "workingHours.days must be an object keyed mon, tue, wed, thu, fri, sat, sun";
            return false;
        }

        var parsed = new Dictionary<IsoDayOfWeek, IReadOnlyList<DayPart>>();
        foreach (var day in days.EnumerateObject())
        {
            if (!DayNames.TryGetValue(day.Name, out var weekday) || parsed.ContainsKey(weekday))
            {
                problem = $"workingHours.days.{day.Name}: days are mon, tue, wed, thu, fri, sat, sun, each once";
                return false;
            }

            if (!TryParseParts(day.Value, out var parts, out var partProblem))
            {
                problem = $"workingHours.days.{day.Name}: {partProblem}";
                return false;
            }

            parsed[weekday] = parts;
        }

        spec = new WorkingHoursSpec(zoneId, parsed);
        return true;
    }

    /// <summary>The hours in a zone: <see cref="TimeZone"/> when the spec names one, else <paramref name="calendarZone"/>.</summary>
    public WorkingHours In(DateTimeZone calendarZone) =>
        new(TimeZone is { } id && ZoneNames.TryFind(id, out var own, out _) ? own : calendarZone, Days);

    private static bool TryParseParts(JsonElement value, out IReadOnlyList<DayPart> parts, out string? problem)
    {
        parts = [];
        problem = null;
        if (value.ValueKind == JsonValueKind.Null)
        {
            return true;
        }

        if (value.ValueKind != JsonValueKind.Array || value.GetArrayLength() > 12)
        {
            problem = "a list of at most 12 parts such as \"09:00-17:00\"";
            return false;
        }

        var list = new List<DayPart>();
        foreach (var item in value.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.String || Part().Match(item.GetString()!) is not { Success: true } match)
            {
                problem = $"{item} is not a part such as \"09:00-17:00\"";
                return false;
            }

            var start = Clock.Parse(match.Groups["start"].Value);
            var endText = match.Groups["end"].Value;
            var end = endText == "24:00" ? null : Clock.Parse(endText) is { Success: true } parsedEnd ? parsedEnd.Value : (LocalTime?)null;
            if (!start.Success || (endText != "24:00" && end is null) || (end is { } e && e <= start.Value))
            {
                problem = $"\"{item.GetString()}\" must end after it starts (use 24:00 for midnight; a shift across midnight is two parts on two days)";
                return false;
            }

            list.Add(new DayPart(start.Value, end));
        }

        list.Sort((a, b) => a.Start.CompareTo(b.Start));
        for (var i = 1; i < list.Count; i++)
        {
            if (list[i - 1].End is not { } previousEnd || previousEnd > list[i].Start)
            {
                problem = "the parts of a day must not overlap";
                return false;
            }
        }

        parts = list;
        return true;
    }

    [GeneratedRegex(@"^\s*(?<start>\d{2}:\d{2})\s*[-–]\s*(?<end>\d{2}:\d{2})\s*$")]
    private static partial Regex Part();
}

/// <summary>Working hours bound to their zone: the open stretches of time between two instants.</summary>
public sealed record WorkingHours(DateTimeZone Zone, IReadOnlyDictionary<IsoDayOfWeek, IReadOnlyList<DayPart>> Days)
{
    /// <summary>
    /// The open stretches that overlap [from, to), clipped to it, in order. Each local day's parts are
    /// converted on their own day, so a DST change moves them with the clocks (09:00 stays 09:00).
    /// </summary>
    public IEnumerable<TimeWindow> Open(Instant from, Instant to)
    {
        var first = from.InZone(Zone).Date.PlusDays(-1);
        var last = to.InZone(Zone).Date;
        for (var day = first; day <= last; day = day.PlusDays(1))
        {
            if (!Days.TryGetValue(day.DayOfWeek, out var parts))
            {
                continue;
            }

            foreach (var part in parts)
            {
                var start = CallerTime.At(day + part.Start, Zone).Instant;
                var end = part.End is { } e ? CallerTime.At(day + e, Zone).Instant : Zone.AtStartOfDay(day.PlusDays(1)).ToInstant();
                start = start > from ? start : from;
                end = end < to ? end : to;
                if (end > start)
                {
                    yield return new TimeWindow(start, end);
                }
            }
        }
    }
}
