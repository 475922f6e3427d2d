using System.Globalization;
using NodaTime;
using NodaTime.Text;

namespace CalendarGrains.Silo.Tools;

/// <summary>
/// Short, single-line sentences an assistant can say: times in the caller's zone, days by name,
/// no ISO strings, no line breaks.
/// </summary>
public static class Spoken
{
    private static readonly LocalDatePattern DayPattern = LocalDatePattern.Create("ddd d MMM", CultureInfo.InvariantCulture);
    private static readonly LocalTimePattern TimePattern = LocalTimePattern.CreateWithInvariantCulture("HH:mm");

    public static string Day(LocalDate date) => DayPattern.Format(date);

    public static string Day(Instant at, DateTimeZone zone) => Day(at.InZone(zone).Date);

    public static string Time(Instant at, DateTimeZone zone) => TimePattern.Format(at.InZone(zone).TimeOfDay);

    /// <summary>"Tue 25 Nov 09:00–10:30", the day omitted when <paramref name="withDay"/> is false; across midnight "Fri 4 Dec 23:00 to Sat 5 Dec 01:00".</summary>
    public static string Span(Instant start, Instant end, DateTimeZone zone, bool withDay = true)
    {
        var sameDay = start.InZone(zone).Date == end.InZone(zone).Date;
        var head = withDay ? Day(start, zone) + " " : "";
        return sameDay
            ? $"{head}{Time(start, zone)}–{Time(end, zone)}"
            : $"{Day(start, zone)} {Time(start, zone)} to {Day(end, zone)} {Time(end, zone)}";
    }

    /// <summary>
    /// An asked range as a phrase that follows "free" or "events": "on Fri 4 Dec" for a whole day,
    /// "from Fri 4 Dec to Sun 6 Dec" for whole days, else "between Fri 4 Dec 09:00 and 17:00".
    /// </summary>
    public static string Range(Instant from, Instant to, DateTimeZone zone)
    {
        var start = from.InZone(zone);
        var end = to.InZone(zone);
        var wholeDays = zone.AtStartOfDay(start.Date).ToInstant() == from && zone.AtStartOfDay(end.Date).ToInstant() == to;
        if (wholeDays)
        {
            var last = end.Date.PlusDays(-1);
            return last == start.Date ? $"on {Day(start.Date)}" : $"from {Day(start.Date)} to {Day(last)}";
        }

        return start.Date == end.Date
            ? $"between {Day(start.Date)} {Time(from, zone)} and {Time(to, zone)}"
            : $"between {Day(start.Date)} {Time(from, zone)} and {Day(end.Date)} {Time(to, zone)}";
    }

    /// <summary>One line, at most <paramref name="max"/> characters: what a voice assistant can say.</summary>
    public static string Line(string text, int max = 500)
    {
        var line = string.Join(' ', text.Split(['\r', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries)).Trim();
        return line.Length <= max ? line : line[..(max - 1)] + "…";
    }
}
