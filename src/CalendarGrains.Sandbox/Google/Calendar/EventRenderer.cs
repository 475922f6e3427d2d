using System.Buffers.Text;
using System.Globalization;
using System.Text;

namespace CalendarGrains.Sandbox.Google.Calendar;

/// <summary>Stored events as Google writes them.</summary>
internal static class EventRenderer
{
    private static readonly IReadOnlyList<ReminderBody> DefaultReminders = [new("popup", 10)];

    /// <summary>
    /// A timed event's <c>dateTime</c> is written in the request's <c>timeZone</c> when it named one, else in
    /// the event's own zone, else in the calendar's; <c>timeZone</c> stays the event's own. The instant
    /// never changes, only the offset it is written with.
    /// </summary>
    public static EventResource Render(StoredEvent stored, AccountCalendar calendar, TimeZoneInfo? responseZone)
    {
        var content = stored.Content;
        var owner = new EventPersonBody(calendar.Id, Self: true);
        return new EventResource(
            "calendar#event",
            Etag(stored.Updated),
            stored.Id,
            stored.Status,
            "https://www.google.com/calendar/event?eid=" + Base64Url.EncodeToString(Encoding.UTF8.GetBytes($"{stored.Id} {calendar.Id}")),
            CalendarTime.FormatUtcMilliseconds(stored.Created),
            CalendarTime.FormatUtcMilliseconds(stored.Updated),
            content.Summary,
            content.Description,
            content.Location,
            owner,
            owner,
            Time(content.Start, calendar.Zone, responseZone),
            Time(content.End, calendar.Zone, responseZone),
            content.Transparent ? "transparent" : null,
            stored.Id + "@google.com",
            stored.Sequence,
            content.Attendees.Count == 0 ? null : content.Attendees.Select(a => Attendee(a, calendar.Id)).ToArray(),
            new EventRemindersBody(UseDefault: true),
            "default",
            content.PrivateProperties.Count == 0 && content.SharedProperties.Count == 0
                ? null
                : new ExtendedPropertiesBody(
                    content.PrivateProperties.Count == 0 ? null : content.PrivateProperties.ToDictionary(p => p.Key, p => (string?)p.Value, StringComparer.Ordinal),
                    content.SharedProperties.Count == 0 ? null : content.SharedProperties.ToDictionary(p => p.Key, p => (string?)p.Value, StringComparer.Ordinal)));
    }

    /// <summary>Google's etags are quoted microsecond counters of the last change.</summary>
    public static string EtagOf(StoredEvent stored) => Etag(stored.Updated);

    public static EventsResource RenderList(AccountCalendar calendar, EventPage page, TimeZoneInfo? responseZone, DateTimeOffset now)
    {
        var items = page.Items.Select(e => Render(e, calendar, responseZone)).ToArray();
        var updated = page.Items.Count == 0 ? now : page.Items.Max(e => e.Updated);
        return new EventsResource(
            "calendar#events",
            Etag(updated),
            calendar.Id,
            CalendarTime.FormatUtcMilliseconds(updated),
            calendar.Zone.Id,
            "owner",
            DefaultReminders,
            page.Next?.Encode(),
            items);
    }

    /// <summary>Google's etags are quoted microsecond counters.</summary>
    private static string Etag(DateTimeOffset updated) =>
        string.Create(CultureInfo.InvariantCulture, $"\"{(updated.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / 10}\"");

    private static EventDateTimeBody Time(CalendarEventTime time, TimeZoneInfo calendarZone, TimeZoneInfo? responseZone)
    {
        if (time.Date is { } date)
        {
            return new EventDateTimeBody(CalendarTime.FormatDate(date), null, null);
        }

        var zone = responseZone ?? (CalendarTime.TryFindZone(time.TimeZone, out var own) ? own : calendarZone);
        return new EventDateTimeBody(null, CalendarTime.Format(time.DateTime!.Value, zone), time.TimeZone);
    }

    private static EventAttendeeBody Attendee(CalendarAttendee attendee, string calendarId)
    {
        var isOwner = string.Equals(attendee.Email, calendarId, StringComparison.OrdinalIgnoreCase);
        return new EventAttendeeBody(
            attendee.Email,
            attendee.DisplayName,
            isOwner ? true : null,
            isOwner ? true : null,
            attendee.Optional ? true : null,
            isOwner ? "accepted" : "needsAction");
    }
}
