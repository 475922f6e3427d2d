using NodaTime;

namespace CalendarGrains.Silo.Tools;

public sealed partial class CalendarTools
{
    /// <summary>How far past a full range <c>check_availability</c> looks for the next free times.</summary>
    private static readonly Duration LookAhead = Duration.FromDays(14);

    private const int NextSlotsSpoken = 3;

    /// <summary>
    /// Free windows inside working hours, not in the past, long enough for the meeting. When the range
    /// has none, the next free windows within two weeks after it.
    /// </summary>
    private static async Task<string> CheckAvailabilityAsync(ToolContext context, ToolArguments arguments)
    {
        var calendarId = CalendarIdOf(arguments);
        var zone = await context.CallerZoneAsync(arguments, calendarId);
        var (from, to, notes) = Range(arguments, zone);
        var minimum = Duration.FromMinutes(arguments.OptionalInt("durationMinutes", context.DefaultDurationMinutes, 5, 480));
        var now = context.Now;
        if (to <= now)
        {
            return WithNotes($"That time has already passed: it is now {Spoken.Day(now, zone)} {Spoken.Time(now, zone)} ({zone.Id}).", notes);
        }

        var hours = await context.WorkingHoursAsync(calendarId);
        var earliest = FreeWindows.NextQuarterHour(now, zone);
        var start = from > earliest ? from : earliest;
        var free = start < to ? await FreeAsync(context, calendarId, hours, start, to, minimum, zone) : [];
        if (free.Count > 0)
        {
            return WithNotes($"Free {DescribeWindows(free, zone)} ({zone.Id}).", notes);
        }

        var full = $"No free time of at least {minimum.TotalMinutes:0} minutes within working hours {Spoken.Range(from, to, zone)} ({zone.Id}).";
        var next = await FreeAsync(context, calendarId, hours, to > earliest ? to : earliest, to + LookAhead, minimum, zone);
        return WithNotes(next.Count == 0
            ? $"{full} Nothing is free in the two weeks after it either."
            : $"{full} The next free times are {DescribeWindows([.. next.Take(NextSlotsSpoken)], zone, max: NextSlotsSpoken)}.", notes);
    }

    private static async Task<IReadOnlyList<TimeWindow>> FreeAsync(
        ToolContext context, string calendarId, WorkingHours hours, Instant from, Instant to, Duration minimum, DateTimeZone zone)
    {
        var open = hours.Open(from, to).ToList();
        if (open.Count == 0)
        {
            return [];
        }

        var answer = await context.CallAsync(token => context.Calendar.QueryFreeBusyAsync(
            token, from.ToDateTimeOffset(), to.ToDateTimeOffset(), zone.Id, [calendarId], context.CancellationToken));
        if (!answer.Calendars.TryGetValue(calendarId, out var busy) || busy.Errors.Count > 0)
        {
            throw new ToolFailureException($"The calendar '{calendarId}' was not found.");
        }

        var blocks = busy.Busy.Select(b => new TimeWindow(Instant.FromDateTimeOffset(b.Start), Instant.FromDateTimeOffset(b.End)));
        return FreeWindows.Compute(open, blocks, minimum);
    }

    /// <summary>The asked range: a date alone is the whole day, so start and end the same date is that day.</summary>
    private static (Instant From, Instant To, ResolvedTime[] Notes) Range(ToolArguments arguments, DateTimeZone zone)
    {
        var from = CallerTime.Start(arguments.Time("start"), zone);
        var to = CallerTime.End(arguments.Time("end"), zone);
        return to.Instant <= from.Instant ? throw new ToolArgumentException("end must be after start.")
            : to.Instant - from.Instant > Duration.FromDays(31) ? throw new ToolArgumentException("the range must be at most 31 days.")
            : (from.Instant, to.Instant, [from, to]);
    }

    private static string DescribeWindows(IReadOnlyList<TimeWindow> windows, DateTimeZone zone, int max = 8)
    {
        var days = windows.Take(max).GroupBy(w => Spoken.Day(w.Start, zone))
            .Select(day => $"{day.Key} {string.Join(" and ", day.Select(w => Spoken.Span(w.Start, w.End, zone, withDay: false)))}");
        return string.Join("; ", days) + (windows.Count > max ? $"; and {windows.Count - max} more" : "");
    }
}
