using System.Text.RegularExpressions;

namespace CalendarGrains.Sandbox.Google.Calendar;

/// <summary>
/// Google's checks on a new event, in two steps: <see cref="Parse"/> reads the wire body into a
/// <see cref="CalendarEventSeed"/>, and <see cref="Validate"/> checks what any seed (from HTTP or C#) must satisfy.
/// </summary>
internal static partial class EventRules
{
    public static CalendarApiError? Parse(EventInsertBody body, out CalendarEventSeed? seed)
    {
        seed = null;
        if (body.Start is null)
        {
            return CalendarApiError.Required("Missing start time.");
        }

        if (body.End is null)
        {
            return CalendarApiError.Required("Missing end time.");
        }

        if (ParseTime(body.Start, "start", out var start) is { } startError)
        {
            return startError;
        }

        if (ParseTime(body.End, "end", out var end) is { } endError)
        {
            return endError;
        }

        if (body.Transparency is not (null or "opaque" or "transparent"))
        {
            return CalendarApiError.Invalid("Invalid transparency value.");
        }

        if (body.Status is not (null or StoredEvent.Confirmed or "tentative" or StoredEvent.Cancelled))
        {
            return CalendarApiError.Invalid("Invalid status value.");
        }

        var privateError = Properties(body.ExtendedProperties?.Private, out var privateProperties);
        var sharedError = Properties(body.ExtendedProperties?.Shared, out var sharedProperties);
        if ((privateError ?? sharedError) is { } propertiesError)
        {
            return propertiesError;
        }

        var attendees = new List<CalendarAttendee>();
        foreach (var attendee in body.Attendees ?? [])
        {
            if (attendee is null)
            {
                continue;
            }

            if (string.IsNullOrWhiteSpace(attendee.Email))
            {
                return CalendarApiError.Required("Missing attendee email.");
            }

            attendees.Add(new CalendarAttendee(attendee.Email.Trim(), attendee.DisplayName, attendee.Optional ?? false));
        }

        seed = new CalendarEventSeed(body.Summary, start!, end!)
        {
            Id = body.Id,
            Description = body.Description,
            Location = body.Location,
            Transparent = body.Transparency == "transparent",
            Attendees = attendees,
            PrivateProperties = privateProperties,
            SharedProperties = sharedProperties,
            Status = body.Status,
        };
        return null;
    }

    /// <summary>
    /// Google's limits on extended properties: keys up to 44 characters, values up to 1024, at most
    /// 300 pairs. A null value (from a patch) drops the key.
    /// </summary>
    private static CalendarApiError? Properties(IReadOnlyDictionary<string, string?>? given, out IReadOnlyDictionary<string, string> properties)
    {
        properties = CalendarEventSeed.EmptyProperties;
        if (given is null)
        {
            return null;
        }

        var kept = given.Where(p => p.Value is not null).ToDictionary(p => p.Key, p => p.Value!, StringComparer.Ordinal);
        if (kept.Count > 300 || kept.Any(p => p.Key.Length is 0 or > 44 || p.Value.Length > 1024))
        {
            return CalendarApiError.Invalid("Invalid extended property value.");
        }

        properties = kept;
        return null;
    }

    public static CalendarApiError? Validate(CalendarEventSeed seed, TimeZoneInfo calendarZone)
    {
        if (seed.Id is not null && !EventId().IsMatch(seed.Id))
        {
            return CalendarApiError.Invalid("Invalid resource id value.");
        }

        var error = CheckTime(seed.Start, "start") ?? CheckTime(seed.End, "end");
        if (error is not null)
        {
            return error;
        }

        if (seed.Start.Date.HasValue != seed.End.Date.HasValue)
        {
            return CalendarApiError.BadRequest("Start and end times must either both be date or both be dateTime.");
        }

        // A timed event may take no time at all; an all-day event lasts at least a day.
        var start = seed.Start.InstantIn(calendarZone);
        var end = seed.End.InstantIn(calendarZone);
        if (end < start || (seed.Start.Date.HasValue && end == start))
        {
            return CalendarApiError.TimeRangeEmpty;
        }

        return seed.Attendees.Any(a => !LooksLikeEmail(a.Email)) ? CalendarApiError.Invalid("Invalid attendee email.") : null;
    }

    private static CalendarApiError? ParseTime(EventDateTimeBody body, string which, out CalendarEventTime? time)
    {
        time = null;
        TimeZoneInfo? zone = null;
        if (body.TimeZone is not null)
        {
            if (!CalendarTime.TryFindZone(body.TimeZone, out var found))
            {
                return CalendarApiError.Invalid($"Invalid time zone definition for {which} time.");
            }

            zone = found;
        }

        switch (body)
        {
            case { Date: not null, DateTime: not null }:
                return CalendarApiError.BadRequest($"Invalid {which} time.");
            case { DateTime: { } dateTime }:
                if (!CalendarTime.TryParseEventDateTime(dateTime, zone, out var instant, out var missingZone))
                {
                    return missingZone
                        ? CalendarApiError.Required($"Missing time zone definition for {which} time.")
                        : CalendarApiError.BadRequest($"Invalid {which} time.");
                }

                time = CalendarEventTime.At(instant, body.TimeZone);
                return null;
            case { Date: { } date }:
                if (!CalendarTime.TryParseDate(date, out var day))
                {
                    return CalendarApiError.BadRequest($"Invalid {which} time.");
                }

                time = CalendarEventTime.AllDay(day);
                return null;
            default:
                return CalendarApiError.Required($"Missing {which} time.");
        }
    }

    private static CalendarApiError? CheckTime(CalendarEventTime time, string which)
    {
        if (time.DateTime.HasValue == time.Date.HasValue)
        {
            return time.Date.HasValue ? CalendarApiError.BadRequest($"Invalid {which} time.") : CalendarApiError.Required($"Missing {which} time.");
        }

        return time.TimeZone is not null && !CalendarTime.TryFindZone(time.TimeZone, out _)
            ? CalendarApiError.Invalid($"Invalid time zone definition for {which} time.")
            : null;
    }

    private static bool LooksLikeEmail(string email) =>
        email.IndexOf('@', StringComparison.Ordinal) is > 0 and var at && at < email.Length - 1 && !email.Any(char.IsWhiteSpace);

    /// <summary>Google's rule for client-chosen ids: base32hex (a-v, 0-9), 5 to 1024 characters.</summary>
    [GeneratedRegex("^[a-v0-9]{5,1024}$")]
    private static partial Regex EventId();
}
