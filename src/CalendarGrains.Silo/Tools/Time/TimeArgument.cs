using System.Globalization;
using System.Text.RegularExpressions;
using NodaTime;

namespace CalendarGrains.Silo.Tools;

/// <summary>
/// What a date or time argument said, before it meets a time zone: a whole day, a wall-clock time
/// (what a caller means by "3 pm"), or an exact moment (an offset or <c>Z</c> was given).
/// </summary>
public abstract partial record TimeArgument
{
    /// <summary>A date alone: the whole of that day in the caller's zone.</summary>
    public sealed record Day(LocalDate Date) : TimeArgument;

    /// <summary>A date and time without an offset: read in the caller's zone.</summary>
    public sealed record WallClock(LocalDateTime Value) : TimeArgument;

    /// <summary>A date and time with an offset: one instant, whatever the zone.</summary>
    public sealed record Exact(OffsetDateTime Value) : TimeArgument;

    /// <summary>
    /// ISO 8601 / RFC 3339 as an LLM writes it: <c>2026-12-04</c>, <c>2026-12-04T14:00</c>,
    /// <c>2026-12-04T14:00:00.000</c>, with <c>Z</c>, <c>+01:00</c>, <c>+0100</c> or <c>+01</c>; a space
    /// may stand for the <c>T</c>. An offset counts only after a time: the <c>-04</c> of
    /// <c>2026-12-04</c> is the day, not an offset.
    /// </summary>
    public static bool TryParse(string text, out TimeArgument? argument)
    {
        argument = null;
        if (Iso().Match(text.Trim()) is not { Success: true } match)
        {
            return false;
        }

        int Part(string name) => int.Parse(match.Groups[name].Value, CultureInfo.InvariantCulture);
        try
        {
            var date = new LocalDate(Part("y"), Part("mo"), Part("d"));
            if (!match.Groups["h"].Success)
            {
                argument = new Day(date);
                return true;
            }

            var time = new LocalTime(Part("h"), Part("mi"), match.Groups["s"].Success ? Part("s") : 0);
            if (match.Groups["f"].Success)
            {
                time = time.PlusNanoseconds(long.Parse(match.Groups["f"].Value.PadRight(9, '0'), CultureInfo.InvariantCulture));
            }

            var local = date + time;
            if (!match.Groups["z"].Success)
            {
                argument = new WallClock(local);
                return true;
            }

            if (ParseOffset(match.Groups["z"].Value) is not { } offset)
            {
                return false;
            }

            argument = new Exact(new OffsetDateTime(local, offset));
            return true;
        }
        catch (ArgumentOutOfRangeException)
        {
            // 2026-02-30, 25:00 and the like.
            return false;
        }
    }

    private static Offset? ParseOffset(string text)
    {
        if (text is "Z" or "z")
        {
            return Offset.Zero;
        }

        var sign = text[0] == '-' ? -1 : 1;
        var digits = text[1..].Replace(":", "", StringComparison.Ordinal);
        var hours = int.Parse(digits[..2], CultureInfo.InvariantCulture);
        var minutes = digits.Length > 2 ? int.Parse(digits[2..], CultureInfo.InvariantCulture) : 0;

        // Real offsets run from -12:00 to +14:00.
        return hours > 14 || minutes > 59 ? null : Offset.FromSeconds(sign * ((hours * 3600) + (minutes * 60)));
    }

    [GeneratedRegex(@"^(?<y>\d{4})-(?<mo>\d{2})-(?<d>\d{2})(?:[Tt ](?<h>\d{2}):(?<mi>\d{2})(?::(?<s>\d{2})(?:[.,](?<f>\d{1,9}))?)?\s*(?<z>[Zz]|[+-]\d{2}(?::?\d{2})?)?)?$")]
    private static partial Regex Iso();
}
