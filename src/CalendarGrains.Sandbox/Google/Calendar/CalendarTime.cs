using System.Globalization;
using System.Text.RegularExpressions;

namespace CalendarGrains.Sandbox.Google.Calendar;

/// <summary>RFC 3339 date-times and IANA time zones, the way the Calendar API reads and writes them.</summary>
internal static partial class CalendarTime
{
    public static readonly TimeZoneInfo Utc = TimeZoneInfo.Utc;

    /// <summary>A date-time with its offset (<c>Z</c> or <c>±hh:mm</c>), as timeMin/timeMax must be.</summary>
    public static bool TryParseInstant(string? value, out DateTimeOffset instant)
    {
        instant = default;
        return TryParse(value, out var local, out var offset) && offset is { } known && TryCombine(local, known, out instant);
    }

    /// <summary>
    /// An event's <c>dateTime</c>: with an offset it is an instant; without one it is a wall-clock time in
    /// <paramref name="zone"/>, and Google refuses it when no zone was given.
    /// </summary>
    public static bool TryParseEventDateTime(string value, TimeZoneInfo? zone, out DateTimeOffset instant, out bool missingZone)
    {
        instant = default;
        missingZone = false;
        if (!TryParse(value, out var local, out var offset))
        {
            return false;
        }

        if (offset is { } known)
        {
            return TryCombine(local, known, out instant);
        }

        if (zone is null)
        {
            missingZone = true;
            return false;
        }

        instant = FromWallClock(local, zone);
        return true;
    }

    public static bool TryParseDate(string? value, out DateOnly date) =>
        DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out date);

    /// <summary>An IANA zone id (Google takes no Windows names and no raw offsets).</summary>
    public static bool TryFindZone(string? id, out TimeZoneInfo zone)
    {
        zone = Utc;
        if (string.IsNullOrWhiteSpace(id) || !ZoneId().IsMatch(id))
        {
            return false;
        }

        try
        {
            zone = TimeZoneInfo.FindSystemTimeZoneById(id);
            return true;
        }
        catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            return false;
        }
    }

    /// <summary>
    /// A wall-clock time in a zone. In the spring-forward gap the time moves forward by the gap (10:30 in
    /// a skipped hour becomes 11:30 of the new offset); in the autumn overlap the earlier instant wins.
    /// </summary>
    public static DateTimeOffset FromWallClock(DateTime local, TimeZoneInfo zone)
    {
        local = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        if (zone.IsAmbiguousTime(local))
        {
            var offset = zone.GetAmbiguousTimeOffsets(local).Max();
            return new DateTimeOffset(local, offset);
        }

        if (zone.IsInvalidTime(local))
        {
            var before = zone.GetUtcOffset(local.AddHours(-3));
            return new DateTimeOffset(local - before, TimeSpan.Zero).ToOffset(zone.GetUtcOffset(local.AddHours(3)));
        }

        return new DateTimeOffset(local, zone.GetUtcOffset(local));
    }

    /// <summary>Midnight starting <paramref name="date"/> in <paramref name="zone"/> (all-day events).</summary>
    public static DateTimeOffset StartOfDay(DateOnly date, TimeZoneInfo zone) => FromWallClock(date.ToDateTime(TimeOnly.MinValue), zone);

    /// <summary><c>2030-01-01T10:00:00+01:00</c>; in UTC Google writes <c>Z</c>.</summary>
    public static string Format(DateTimeOffset instant, TimeZoneInfo zone)
    {
        var inZone = TimeZoneInfo.ConvertTime(instant, zone);
        return zone == Utc || zone.Id is "UTC" or "Etc/UTC"
            ? inZone.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)
            : inZone.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);
    }

    /// <summary><c>2030-01-01T09:00:00.000Z</c>: how Google writes created, updated and echoed bounds.</summary>
    public static string FormatUtcMilliseconds(DateTimeOffset instant) =>
        instant.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    public static string FormatDate(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static bool TryParse(string? value, out DateTime local, out TimeSpan? offset)
    {
        local = default;
        offset = null;
        if (value is null || Rfc3339().Match(value) is not { Success: true } match)
        {
            return false;
        }

        int Part(string name) => int.Parse(match.Groups[name].Value, CultureInfo.InvariantCulture);
        try
        {
            local = new DateTime(Part("y"), Part("mo"), Part("d"), Part("h"), Part("mi"), Part("s"), DateTimeKind.Unspecified);
        }
        catch (ArgumentOutOfRangeException)
        {
            return false;
        }

        if (match.Groups["f"].Success)
        {
            // Google ignores sub-second digits beyond what it stores; keep what fits in a tick.
            var digits = match.Groups["f"].Value.PadRight(7, '0')[..7];
            local = local.AddTicks(long.Parse(digits, CultureInfo.InvariantCulture));
        }

        var zone = match.Groups["z"];
        if (zone.Success)
        {
            offset = zone.Value is "Z" or "z"
                ? TimeSpan.Zero
                : (zone.Value[0] == '-' ? -1 : 1) * new TimeSpan(int.Parse(zone.Value[1..3], CultureInfo.InvariantCulture), int.Parse(zone.Value[4..6], CultureInfo.InvariantCulture), 0);
        }

        return true;
    }

    private static bool TryCombine(DateTime local, TimeSpan offset, out DateTimeOffset instant)
    {
        instant = default;
        if (offset.Duration() > TimeSpan.FromHours(14))
        {
            return false;
        }

        try
        {
            instant = new DateTimeOffset(local, offset);
            return true;
        }
        catch (ArgumentOutOfRangeException)
        {
            return false;
        }
    }

    [GeneratedRegex(@"^(?<y>\d{4})-(?<mo>\d{2})-(?<d>\d{2})[Tt](?<h>\d{2}):(?<mi>\d{2}):(?<s>\d{2})(?:\.(?<f>\d{1,9}))?(?<z>[Zz]|[+-]\d{2}:\d{2})?$")]
    private static partial Regex Rfc3339();

    [GeneratedRegex(@"^[A-Za-z][A-Za-z0-9_+\-]*(?:/[A-Za-z0-9_+\-]+)*$")]
    private static partial Regex ZoneId();
}
