using NodaTime;

namespace CalendarGrains.Silo.Tools;

/// <summary>A stretch of time, start inclusive, end exclusive.</summary>
public readonly record struct TimeWindow(Instant Start, Instant End)
{
    public Duration Length => End - Start;

    public bool Overlaps(TimeWindow other) => Start < other.End && other.Start < End;
}

/// <summary>
/// The free windows of a calendar: the open (working) stretches minus what is busy, and only those
/// long enough for the meeting. Pure, so the rules can be checked by property-based tests.
/// </summary>
public static class FreeWindows
{
    public static IReadOnlyList<TimeWindow> Compute(IEnumerable<TimeWindow> open, IEnumerable<TimeWindow> busy, Duration minimum)
    {
        var blocks = busy.Where(b => b.End > b.Start).OrderBy(b => b.Start).ToList();
        var free = new List<TimeWindow>();
        foreach (var stretch in open.OrderBy(o => o.Start))
        {
            var cursor = stretch.Start;
            foreach (var block in blocks.Where(b => b.End > stretch.Start && b.Start < stretch.End))
            {
                if (block.Start - cursor >= minimum)
                {
                    free.Add(new TimeWindow(cursor, block.Start));
                }

                cursor = block.End > cursor ? block.End : cursor;
            }

            if (stretch.End - cursor >= minimum)
            {
                free.Add(new TimeWindow(cursor, stretch.End));
            }
        }

        return free;
    }

    /// <summary>The next quarter hour at or after <paramref name="now"/> in the zone: offered slots start on round times.</summary>
    public static Instant NextQuarterHour(Instant now, DateTimeZone zone)
    {
        var local = now.InZone(zone).LocalDateTime;
        var minutesIntoHour = local.Minute % 15;
        if (minutesIntoHour == 0 && local.Second == 0 && local.NanosecondOfSecond == 0)
        {
            return now;
        }

        var rounded = local.Date + new LocalTime(local.Hour, local.Minute - minutesIntoHour);
        return CallerTime.At(rounded.PlusMinutes(15), zone).Instant;
    }
}
