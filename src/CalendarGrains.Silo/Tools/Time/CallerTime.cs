using System.Globalization;
using NodaTime;
using NodaTime.Text;
using NodaTime.TimeZones;

namespace CalendarGrains.Silo.Tools;

/// <summary>An instant an argument came to, and what the assistant should tell the caller about how.</summary>
/// <param name="Instant">The moment.</param>
/// <param name="Note">Set when a wall-clock time fell in a DST gap or overlap and had to be chosen.</param>
public readonly record struct ResolvedTime(Instant Instant, string? Note);

/// <summary>
/// Turns <see cref="TimeArgument"/>s into instants in the caller's zone. Rules (README, "Time rules"):
/// a date alone is the whole day (a start is its first instant, an end the first instant of the next
/// day); a wall-clock time in a spring-forward gap moves forward by the gap (Google does the same);
/// one in an autumn overlap is the first of the two (summer time), and the assistant says so.
/// </summary>
public static class CallerTime
{
    private static readonly LocalDatePattern DayPattern = LocalDatePattern.Create("ddd d MMM uuuu", CultureInfo.InvariantCulture);
    private static readonly LocalTimePattern TimePattern = LocalTimePattern.CreateWithInvariantCulture("HH:mm");

    public static ResolvedTime Start(TimeArgument argument, DateTimeZone zone) => argument switch
    {
        TimeArgument.Day day => new(zone.AtStartOfDay(day.Date).ToInstant(), null),
        TimeArgument.WallClock wall => At(wall.Value, zone),
        TimeArgument.Exact exact => new(exact.Value.ToInstant(), null),
        _ => throw new ArgumentOutOfRangeException(nameof(argument)),
    };

    /// <summary>As <see cref="Start"/>, except that a date alone ends where the next day begins.</summary>
    public static ResolvedTime End(TimeArgument argument, DateTimeZone zone) =>
        argument is TimeArgument.Day day ? new(zone.AtStartOfDay(day.Date.PlusDays(1)).ToInstant(), null) : Start(argument, zone);

    /// <summary>A wall-clock time in a zone, with a note when DST made it missing or double.</summary>
    public static ResolvedTime At(LocalDateTime local, DateTimeZone zone)
    {
        var mapping = zone.MapLocal(local);
        switch (mapping.Count)
        {
            case 1:
                return new(mapping.Single().ToInstant(), null);
            case 2:
                var first = mapping.First();
                var second = mapping.Last();
                return new(first.ToInstant(),
                    $"{TimePattern.Format(local.TimeOfDay)} happens twice on {DayPattern.Format(local.Date)} in {zone.Id} (the clocks go back); " +
                    $"the first one (UTC{Offsets.Format(first.Offset)}) was used; for the second, give the offset {Offsets.Format(second.Offset)}.");
            default:
                var shifted = zone.ResolveLocal(local, Resolvers.LenientResolver);
                return new(shifted.ToInstant(),
                    $"{TimePattern.Format(local.TimeOfDay)} does not exist on {DayPattern.Format(local.Date)} in {zone.Id} (the clocks go forward), " +
                    $"so {TimePattern.Format(shifted.TimeOfDay)} was used.");
        }
    }
}

/// <summary>Offsets as people and RFC 3339 write them: +01:00, -04:00, +05:30.</summary>
public static class Offsets
{
    public static string Format(Offset offset)
    {
        var seconds = offset.Seconds;
        var sign = seconds < 0 ? '-' : '+';
        seconds = Math.Abs(seconds);
        return string.Create(CultureInfo.InvariantCulture, $"{sign}{seconds / 3600:00}:{seconds % 3600 / 60:00}");
    }
}
