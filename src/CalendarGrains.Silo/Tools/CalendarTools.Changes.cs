using CalendarGrains.Google.Calendar;
using NodaTime;

namespace CalendarGrains.Silo.Tools;

/// <summary>
/// <c>update_event</c> and <c>cancel_event</c>: find the one event the caller means (by its current
/// start and/or words of its title), check the tenant lets this call change it (<see cref="EventMarks"/>),
/// then change it. Idempotent: each change marks the event with an id derived from the tool call, and a
/// retried tool call looks for that mark first.
/// </summary>
public sealed partial class CalendarTools
{
    /// <summary>Without a start to go by, <c>summary</c> alone is searched from the start of today this far ahead.</summary>
    private static readonly Duration SummarySearch = Duration.FromDays(90);

    private static async Task<string> UpdateEventAsync(ToolContext context, ToolCall call, ToolArguments arguments)
    {
        var calendarId = CalendarIdOf(arguments);
        var zone = await context.CallerZoneAsync(arguments, calendarId);
        var mark = EventIdFor(context.TenantId, context.ConnectionId, call.Id);
        var newStart = arguments.Time("newStart");
        if (await FindMarkedAsync(context, calendarId, mark, zone) is { } done)
        {
            return $"\"{done.Summary ?? "(no title)"}\" was already moved to {WhenSaid(done, zone)} ({zone.Id}).";
        }

        var found = await FindOneAsync(context, arguments, calendarId, zone);
        var (start, end, notes) = MovedTimes(found, newStart, arguments.OptionalTime("newEnd"), arguments, zone, context.DefaultDurationMinutes);
        var patch = new EventPatch
        {
            Start = start,
            End = end,
            PrivateProperties = new Dictionary<string, string>(StringComparer.Ordinal) { [EventMarks.ChangeKey] = mark },
        };
        var moved = await context.CallAsync(token => context.Calendar.PatchEventAsync(
            token, calendarId, found.Id, patch, found.Attendees.Count > 0 ? SendUpdates.All : null, context.CancellationToken));
        return WithNotes($"Moved \"{found.Summary ?? "(no title)"}\" from {WhenSaid(found, zone)} to {WhenSaid(moved, zone)} ({zone.Id}).", notes);
    }

    /// <summary>
    /// Marks, then deletes: if the answer to the delete is lost, the retried tool call finds the mark and
    /// finishes (or sees the event is already cancelled) instead of finding nothing at the old time.
    /// </summary>
    private static async Task<string> CancelEventAsync(ToolContext context, ToolCall call, ToolArguments arguments)
    {
        var calendarId = CalendarIdOf(arguments);
        var zone = await context.CallerZoneAsync(arguments, calendarId);
        var mark = EventIdFor(context.TenantId, context.ConnectionId, call.Id);
        var target = await FindMarkedAsync(context, calendarId, mark, zone);
        if (target is { Status: "cancelled" })
        {
            return $"\"{target.Summary ?? "(no title)"}\" on {WhenSaid(target, zone)} is already cancelled ({zone.Id}).";
        }

        if (target is null)
        {
            target = await FindOneAsync(context, arguments, calendarId, zone);
            var patch = new EventPatch { PrivateProperties = new Dictionary<string, string>(StringComparer.Ordinal) { [EventMarks.ChangeKey] = mark } };
            await context.CallAsync(token => context.Calendar.PatchEventAsync(token, calendarId, target.Id, patch, sendUpdates: null, context.CancellationToken));
        }

        var deleted = await context.TryCallAsync(token => context.Calendar.DeleteEventAsync(
            token, calendarId, target.Id, target.Attendees.Count > 0 ? SendUpdates.All : null, context.CancellationToken));
        if (!deleted.IsSuccess && deleted.Error is not { Status: 410 })
        {
            throw new ToolFailureException(deleted.Problem!);
        }

        var guests = target.Attendees.Count > 0 ? " The guests were told." : "";
        return $"Cancelled \"{target.Summary ?? "(no title)"}\" on {WhenSaid(target, zone)} ({zone.Id}).{guests}";
    }

    /// <summary>The event an earlier attempt of this tool call already changed, cancelled ones included.</summary>
    private static async Task<CalendarEvent?> FindMarkedAsync(ToolContext context, string calendarId, string mark, DateTimeZone zone)
    {
        var list = await context.CallAsync(token => context.Calendar.ListEventsAsync(token, calendarId, new EventListQuery
        {
            TimeZone = zone.Id,
            MaxResults = 1,
            ShowDeleted = true,
            PrivateProperties = new Dictionary<string, string>(StringComparer.Ordinal) { [EventMarks.ChangeKey] = mark },
        }, context.CancellationToken));
        return list.Items.Count > 0 ? list.Items[0] : null;
    }

    /// <summary>
    /// The one event the caller means: starting at <c>eventStart</c> (a date alone: any time that day), with
    /// <c>summary</c> in its title (case-insensitive), and one this call may change. None, or several: a
    /// <see cref="ToolFailureException"/> that says so, so the assistant asks instead of guessing.
    /// </summary>
    private static async Task<CalendarEvent> FindOneAsync(ToolContext context, ToolArguments arguments, string calendarId, DateTimeZone zone)
    {
        var at = arguments.OptionalTime("eventStart");
        var words = arguments.OptionalString("summary");
        if (at is null && words is null)
        {
            throw new ToolArgumentException("give eventStart (when the event starts now) or summary (words of its title), or both.");
        }

        var (from, to) = at switch
        {
            TimeArgument.Day day => (zone.AtStartOfDay(day.Date).ToInstant(), zone.AtStartOfDay(day.Date.PlusDays(1)).ToInstant()),
            { } exact => (CallerTime.Start(exact, zone).Instant, CallerTime.Start(exact, zone).Instant + Duration.FromMinutes(1)),
            null => (zone.AtStartOfDay(context.Now.InZone(zone).Date).ToInstant(), context.Now + SummarySearch),
        };
        var list = await context.CallAsync(token => context.Calendar.ListEventsAsync(token, calendarId, new EventListQuery
        {
            TimeMin = from.ToDateTimeOffset(),
            TimeMax = to.ToDateTimeOffset(),
            TimeZone = zone.Id,
            MaxResults = 50,
            Text = at is null ? words : null,
        }, context.CancellationToken));
        var matching = list.Items
            .Where(e => e.Status != "cancelled")
            .Where(e => at is null || (at is TimeArgument.Day ? StartOf(e, zone) is { } begins && begins >= from && begins < to : StartOf(e, zone) == from))
            .Where(e => words is null || (e.Summary ?? "").Contains(words, StringComparison.OrdinalIgnoreCase))
            .ToList();
        var what = at is null ? $"titled \"{words}\" in the next {SummarySearch.Days} days" : $"{(words is null ? "" : $"titled \"{words}\" ")}{Described(at, from, zone)}";
        if (matching.Count == 0)
        {
            throw new ToolFailureException($"Nothing was changed: no event {what} ({zone.Id}).");
        }

        var allowed = matching.Where(e => EventMarks.MayChange(e, context.Settings.EventScope, context.Message.CallerNumber, context.Message.CallerEmail)).ToList();
        if (allowed.Count == 0)
        {
            throw new ToolFailureException($"Nothing was changed: the event {what} was not booked by this caller or through this assistant, so it cannot be changed on this call.");
        }

        if (allowed.Count > 1)
        {
            var listed = string.Join("; ", allowed.Take(5).Select(e => $"\"{e.Summary ?? "(no title)"}\" {WhenSaid(e, zone)}"));
            throw new ToolFailureException($"Nothing was changed: {allowed.Count} events match ({listed}); ask which one, then give its start time and title.");
        }

        return allowed[0];
    }

    /// <summary>
    /// Where a moved event goes. A timed event keeps its length unless <c>newEnd</c> or
    /// <c>durationMinutes</c> says otherwise; given a date alone, it keeps its time of day on that date.
    /// An all-day event given a date stays all-day for as many days; given a time, it becomes a timed event.
    /// </summary>
    private static (EventDateTime Start, EventDateTime End, ResolvedTime[] Notes) MovedTimes(
        CalendarEvent found, TimeArgument newStart, TimeArgument? newEnd, ToolArguments arguments, DateTimeZone zone, int defaultMinutes)
    {
        if (found.Start.Date is { } oldFirst && newStart is TimeArgument.Day allDay)
        {
            var days = found.End.Date is { } oldEnd ? Period.Between(LocalDate.FromDateOnly(oldFirst), LocalDate.FromDateOnly(oldEnd), PeriodUnits.Days).Days : 1;
            var last = newEnd is TimeArgument.Day end ? end.Date : allDay.Date.PlusDays(Math.Max(days, 1) - 1);
            if (last < allDay.Date)
            {
                throw new ToolArgumentException("newEnd must not be before newStart.");
            }

            return (EventDateTime.AllDay(allDay.Date.ToDateOnly()), EventDateTime.AllDay(last.PlusDays(1).ToDateOnly()), []);
        }

        var oldLength = found.Start.DateTime is { } s && found.End.DateTime is { } t ? Duration.FromTimeSpan(t - s) : Duration.FromMinutes(defaultMinutes);
        var start = newStart is TimeArgument.Day date && found.Start.DateTime is { } oldStart
            ? CallerTime.At(date.Date + Instant.FromDateTimeOffset(oldStart).InZone(zone).TimeOfDay, zone)
            : CallerTime.Start(newStart, zone);
        var length = arguments.IntOrNull("durationMinutes", 5, 480) is { } minutes ? Duration.FromMinutes(minutes) : oldLength;
        var finish = newEnd is null ? new ResolvedTime(start.Instant + length, null) : CallerTime.End(newEnd, zone);
        if (finish.Instant <= start.Instant)
        {
            throw new ToolArgumentException("newEnd must be after newStart.");
        }

        return (Timed(start.Instant, zone), Timed(finish.Instant, zone), [start, finish]);
    }

    private static Instant? StartOf(CalendarEvent e, DateTimeZone zone) =>
        e.Start.DateTime is { } s ? Instant.FromDateTimeOffset(s)
        : e.Start.Date is { } d ? zone.AtStartOfDay(LocalDate.FromDateOnly(d)).ToInstant()
        : null;

    private static string Described(TimeArgument at, Instant from, DateTimeZone zone) =>
        at is TimeArgument.Day day ? $"on {Spoken.Day(day.Date)}" : $"starting {Spoken.Day(from, zone)} {Spoken.Time(from, zone)}";

    /// <summary>An event's time for a sentence: "Thu 3 Dec 15:00–15:30", or "Fri 4 Dec, all day".</summary>
    private static string WhenSaid(CalendarEvent e, DateTimeZone zone)
    {
        if (e.Start.DateTime is { } s && e.End.DateTime is { } t)
        {
            return Spoken.Span(Instant.FromDateTimeOffset(s), Instant.FromDateTimeOffset(t), zone);
        }

        if (e.Start.Date is { } first)
        {
            var day = LocalDate.FromDateOnly(first);
            var last = e.End.Date is { } end ? LocalDate.FromDateOnly(end).PlusDays(-1) : day;
            return last > day ? $"{Spoken.Day(day)} to {Spoken.Day(last)}, all day" : $"{Spoken.Day(day)}, all day";
        }

        return "(no time)";
    }
}
