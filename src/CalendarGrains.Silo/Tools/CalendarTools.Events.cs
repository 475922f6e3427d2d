using CalendarGrains.Google.Calendar;
using NodaTime;

namespace CalendarGrains.Silo.Tools;

public sealed partial class CalendarTools
{
    private static async Task<string> CreateEventAsync(ToolContext context, ToolCall call, ToolArguments arguments)
    {
        var calendarId = CalendarIdOf(arguments);
        var zone = await context.CallerZoneAsync(arguments, calendarId);
        var summary = arguments.RequiredString("summary");
        var attendees = arguments.OptionalStrings("attendees");
        if (attendees.FirstOrDefault(a => !a.Contains('@', StringComparison.Ordinal)) is { } notAnEmail)
        {
            throw new ToolArgumentException($"attendee '{notAnEmail}' is not an email address.");
        }

        var (start, end, when, notes) = NewTimes(arguments, zone, context.DefaultDurationMinutes);
        var newEvent = new NewEvent
        {
            Id = EventIdFor(context.TenantId, context.ConnectionId, call.Id),
            Summary = summary,
            Description = arguments.OptionalString("description"),
            Location = arguments.OptionalString("location"),
            Start = start,
            End = end,
            Attendees = attendees.Count == 0 ? null : [.. attendees.Select(email => new EventAttendee { Email = email })],
            ExtendedProperties = new EventExtendedProperties { Private = EventMarks.ForNewEvent(context.Message.CallerNumber) },
        };
        var outcome = await context.TryCallAsync(token => context.Calendar.InsertEventAsync(
            token, calendarId, newEvent, attendees.Count > 0 ? SendUpdates.All : null, context.CancellationToken));
        if (outcome.Error?.Kind == CalendarErrorKind.Conflict)
        {
            // The same tool call again (Vapi retried): the event id is derived from it, so it exists once.
            return WithNotes($"\"{summary}\" is already booked for {when} ({zone.Id}).", notes);
        }

        if (!outcome.IsSuccess)
        {
            throw new ToolFailureException(outcome.Problem!);
        }

        var guests = attendees.Count > 0 ? $" and invited {attendees.Count} guest{(attendees.Count == 1 ? "" : "s")}" : "";
        return WithNotes($"Booked \"{summary}\" for {when} ({zone.Id}){guests}.", notes);
    }

    /// <summary>
    /// A new event's times. A start that is a date alone books an all-day event (its end, also a date,
    /// is the last day, inclusive: Google's exclusive end date is the day after); otherwise the end is
    /// <c>end</c>, or <c>durationMinutes</c> after the start.
    /// </summary>
    private static (EventDateTime Start, EventDateTime End, string When, ResolvedTime[] Notes) NewTimes(ToolArguments arguments, DateTimeZone zone, int defaultMinutes)
    {
        var startArgument = arguments.Time("start");
        var endArgument = arguments.OptionalTime("end");
        if (startArgument is TimeArgument.Day day)
        {
            var last = endArgument switch
            {
                null => day.Date,
                TimeArgument.Day end => end.Date,
                _ => throw new ToolArgumentException("an all-day event (start is a date alone) needs end as a date too, or no end."),
            };
            if (last < day.Date)
            {
                throw new ToolArgumentException("end must not be before start.");
            }

            var when = last == day.Date ? $"{Spoken.Day(day.Date)}, all day" : $"{Spoken.Day(day.Date)} to {Spoken.Day(last)}, all day";
            return (EventDateTime.AllDay(day.Date.ToDateOnly()), EventDateTime.AllDay(last.PlusDays(1).ToDateOnly()), when, []);
        }

        var start = CallerTime.Start(startArgument, zone);
        var finish = endArgument is null
            ? new ResolvedTime(start.Instant + Duration.FromMinutes(arguments.OptionalInt("durationMinutes", defaultMinutes, 5, 480)), null)
            : CallerTime.End(endArgument, zone);
        if (finish.Instant <= start.Instant)
        {
            throw new ToolArgumentException("end must be after start.");
        }

        return (Timed(start.Instant, zone), Timed(finish.Instant, zone), Spoken.Span(start.Instant, finish.Instant, zone), [start, finish]);
    }

    /// <summary>An instant with the caller's offset and zone, as Google stores the zone of a timed event.</summary>
    private static EventDateTime Timed(Instant instant, DateTimeZone zone) => EventDateTime.At(instant.InZone(zone).ToDateTimeOffset(), zone.Id);

    private static async Task<string> ListEventsAsync(ToolContext context, ToolArguments arguments)
    {
        var calendarId = CalendarIdOf(arguments);
        var zone = await context.CallerZoneAsync(arguments, calendarId);
        var (from, to, notes) = Range(arguments, zone);
        var max = arguments.OptionalInt("maxResults", 10, 1, 20);
        var list = await context.CallAsync(token => context.Calendar.ListEventsAsync(token, calendarId, new EventListQuery
        {
            TimeMin = from.ToDateTimeOffset(),
            TimeMax = to.ToDateTimeOffset(),
            TimeZone = zone.Id,
            MaxResults = max,
        }, context.CancellationToken));
        var events = list.Items.Where(e => e.Status != "cancelled").ToList();
        if (events.Count == 0)
        {
            return WithNotes($"No events {Spoken.Range(from, to, zone)} ({zone.Id}).", notes);
        }

        var firstDay = from.InZone(zone).Date;
        var multiDay = firstDay != (to - Duration.Epsilon).InZone(zone).Date;
        var described = events.Select(e => $"{When(e, zone, firstDay, multiDay)} {e.Summary ?? "(no title)"}");
        var more = list.NextPageToken is null ? "" : " There are more; ask for a shorter range.";
        return WithNotes($"{events.Count} event{(events.Count == 1 ? "" : "s")} ({zone.Id}): {string.Join("; ", described)}.{more}", notes);
    }

    /// <summary>
    /// An event's time as said in a list: "09:00–10:00", with the day when the list spans days or the
    /// event starts on another day (one crossing midnight into the asked day), "all day" for dates.
    /// </summary>
    private static string When(CalendarEvent e, DateTimeZone zone, LocalDate firstDay, bool multiDay)
    {
        if (e.Start.DateTime is { } s && e.End.DateTime is { } t)
        {
            var start = Instant.FromDateTimeOffset(s);
            var withDay = multiDay || start.InZone(zone).Date != firstDay;
            return Spoken.Span(start, Instant.FromDateTimeOffset(t), zone, withDay);
        }

        if (e.Start.Date is { } first)
        {
            var last = e.End.Date is { } end ? LocalDate.FromDateOnly(end).PlusDays(-1) : LocalDate.FromDateOnly(first);
            var day = LocalDate.FromDateOnly(first);
            return last > day ? $"{Spoken.Day(day)} to {Spoken.Day(last)} all day" : $"{Spoken.Day(day)} all day";
        }

        return "(no time)";
    }
}
