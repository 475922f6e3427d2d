using System.Collections.Concurrent;
using CalendarGrains.Common;
using NodaTime;

namespace CalendarGrains.Silo.Tools;

/// <summary>
/// Calendars' own time zones, kept ten minutes: a tool call that needs the calendar's zone (no zone
/// given, or working hours without one) would otherwise cost a calendars.get every time. Bounded: when
/// full it starts over, which costs one Google read per calendar.
/// </summary>
public sealed class CalendarZoneCache([FromKeyedServices(ServiceTime.Key)] TimeProvider time)
{
    private const int MaxEntries = 50_000;
    private static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(10);
    private readonly ConcurrentDictionary<string, (DateTimeZone Zone, DateTimeOffset Until)> _zones = new(StringComparer.Ordinal);

    public DateTimeZone? TryGet(string key) =>
        _zones.TryGetValue(key, out var entry) && entry.Until > time.GetUtcNow() ? entry.Zone : null;

    public void Set(string key, DateTimeZone zone)
    {
        if (_zones.Count >= MaxEntries)
        {
            _zones.Clear();
        }

        _zones[key] = (zone, time.GetUtcNow() + Lifetime);
    }
}
