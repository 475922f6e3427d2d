using System.Globalization;

namespace CalendarGrains.Silo.Tools;

/// <summary>
/// Short, single-line sentences an assistant can say: times in the caller's zone, days by name,
/// no ISO strings, no line breaks.
/// </summary>
public static class Spoken
{
    private static readonly CultureInfo English = CultureInfo.InvariantCulture;

    public static string Day(DateTimeOffset at, TimeZoneInfo zone) => Local(at, zone).ToString("ddd d MMM", English);

    public static string Time(DateTimeOffset at, TimeZoneInfo zone) => Local(at, zone).ToString("HH:mm", English);

    /// <summary>"Tue 25 Nov 09:00–10:30", the day omitted when <paramref name="withDay"/> is false.</summary>
    public static string Span(DateTimeOffset start, DateTimeOffset end, TimeZoneInfo zone, bool withDay = true)
    {
        var sameDay = Local(start, zone).Date == Local(end, zone).Date;
        var head = withDay ? Day(start, zone) + " " : "";
        return sameDay
            ? $"{head}{Time(start, zone)}–{Time(end, zone)}"
            : $"{head}{Time(start, zone)} to {Day(end, zone)} {Time(end, zone)}";
    }

    /// <summary>One line, at most <paramref name="max"/> characters: what a voice assistant can say.</summary>
    public static string Line(string text, int max = 500)
    {
        var line = string.Join(' ', text.Split(['\r', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries)).Trim();
        return line.Length <= max ? line : line[..(max - 1)] + "…";
    }

    private static DateTime Local(DateTimeOffset at, TimeZoneInfo zone) => TimeZoneInfo.ConvertTime(at, zone).DateTime;
}
