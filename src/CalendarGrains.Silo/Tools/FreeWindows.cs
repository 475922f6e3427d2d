namespace CalendarGrains.Silo.Tools;

/// <summary>
/// The free windows between busy blocks: the asked range minus what is busy, kept to working
/// hours of each local day, and only windows long enough for the meeting.
/// </summary>
public static class FreeWindows
{
    public sealed record Window(DateTimeOffset Start, DateTimeOffset End);

    public static IReadOnlyList<Window> Compute(
        DateTimeOffset from, DateTimeOffset to, IEnumerable<Window> busy, TimeSpan minimum, TimeZoneInfo zone, TimeOnly dayStart, TimeOnly dayEnd)
    {
        var free = new List<Window>();
        foreach (var day in WorkingHours(from, to, zone, dayStart, dayEnd))
        {
            var cursor = day.Start;
            foreach (var block in busy.Where(b => b.End > day.Start && b.Start < day.End).OrderBy(b => b.Start))
            {
                if (block.Start - cursor >= minimum)
                {
                    free.Add(new Window(cursor, block.Start));
                }

                cursor = block.End > cursor ? block.End : cursor;
            }

            if (day.End - cursor >= minimum)
            {
                free.Add(new Window(cursor, day.End));
            }
        }

        return free;
    }

    /// <summary>Each local day's working hours, clipped to the asked range (DST-safe: local times are converted per day).</summary>
    private static IEnumerable<Window> WorkingHours(DateTimeOffset from, DateTimeOffset to, TimeZoneInfo zone, TimeOnly dayStart, TimeOnly dayEnd)
    {
        var firstDay = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(from, zone).DateTime);
        var lastDay = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(to, zone).DateTime);
        for (var day = firstDay; day <= lastDay; day = day.AddDays(1))
        {
            var start = Max(Local(day, dayStart, zone), from);
            var end = Min(Local(day, dayEnd, zone), to);
            if (end > start)
            {
                yield return new Window(start, end);
            }
        }
    }

    public static DateTimeOffset Local(DateOnly day, TimeOnly time, TimeZoneInfo zone)
    {
        var local = day.ToDateTime(time, DateTimeKind.Unspecified);
        if (zone.IsInvalidTime(local))
        {
            local = local.AddHours(1); // A time skipped by a DST jump: take the first that exists.
        }

        return new DateTimeOffset(local, zone.GetUtcOffset(local));
    }

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;
}
