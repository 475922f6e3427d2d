using System.Collections.Frozen;
using System.Text.RegularExpressions;
using NodaTime;
using NodaTime.TimeZones;

namespace CalendarGrains.Silo.Tools;

/// <summary>
/// Time zone names as callers, tenants and Google give them, read against the IANA database that
/// NodaTime embeds (so every host answers alike, whatever its own tzdata).
/// </summary>
public static partial class ZoneNames
{
    private static readonly FrozenDictionary<string, string> IanaIds =
        DateTimeZoneProviders.Tzdb.Ids.ToFrozenDictionary(id => id, id => id, StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// An IANA id (any case), or a Windows id mapped to its IANA zone. Abbreviations such as EST or
    /// CET are refused: they name an offset people rarely mean all year (EST is UTC-5 even in July).
    /// </summary>
    public static bool TryFind(string? name, out DateTimeZone zone, out string? problem)
    {
        zone = DateTimeZone.Utc;
        problem = null;
        var id = name?.Trim();
        if (string.IsNullOrEmpty(id))
        {
            problem = "no time zone was given";
            return false;
        }

        if (id is "Z" or "UTC" or "GMT" or "Etc/UTC" or "Etc/GMT")
        {
            return true;
        }

        if (Abbreviation().IsMatch(id))
        {
            problem = $"'{id}' is an abbreviation, not a time zone; use an IANA name such as America/New_York or Europe/Berlin";
            return false;
        }

        if (IanaIds.TryGetValue(id, out var iana) || TzdbDateTimeZoneSource.Default.WindowsMapping.PrimaryMapping.TryGetValue(id, out iana))
        {
            zone = DateTimeZoneProviders.Tzdb[iana];
            return true;
        }

        problem = $"'{id}' is not a known time zone; use an IANA name such as America/New_York";
        return false;
    }

    /// <summary>Upper-case letters and digits without a slash: EST, CET, PST8PDT, EST5EDT.</summary>
    [GeneratedRegex("^[A-Z]{2,5}[0-9]?(?:[A-Z]{3})?$")]
    private static partial Regex Abbreviation();
}
