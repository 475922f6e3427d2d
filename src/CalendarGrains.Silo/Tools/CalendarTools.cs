using System.Security.Cryptography;
using System.Text;
using CalendarGrains.Calendar;
using CalendarGrains.Connections;
using CalendarGrains.Silo.Connections;

namespace CalendarGrains.Silo.Tools;

/// <summary>
/// Runs Vapi tool calls on the end user's own Google Calendar: a token from the connection's
/// grain, then Google Calendar. Every outcome is a short sentence; failures are <c>error</c>
/// results, never exceptions, so Vapi always gets its 200.
/// </summary>
public sealed partial class CalendarTools(IGrainFactory grains, GoogleCalendarClient calendar, ILogger<CalendarTools> logger)
{
    public const string CheckAvailability = "check_availability";
    public const string CreateEvent = "create_event";
    public const string ListEvents = "list_events";

    /// <summary>Vapi waits 20 s for a tool server by default; answer within it, whatever Google does.</summary>
    public static readonly TimeSpan Budget = TimeSpan.FromSeconds(15);

    private const string Reconnect = "The caller's Google Calendar must be reconnected before I can use it.";
    private const string NoConnection = "No calendar is linked to this call (connectionId is missing from the call's variableValues).";
    private const string ConnectionNotFound = "The calendar connection for this call was not found.";
    private const string Unavailable = "Google Calendar is not reachable right now; please try again in a moment.";

    public async Task<IReadOnlyList<ToolCallResult>> RunAsync(string tenantId, ToolCallMessage message, CancellationToken cancellationToken)
    {
        using var budget = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        budget.CancelAfter(Budget);
        return await Task.WhenAll(message.Calls.Select(call => RunOneAsync(tenantId, message.ConnectionId, call, budget.Token)));
    }

    private async Task<ToolCallResult> RunOneAsync(string tenantId, string? connectionId, ToolCall call, CancellationToken cancellationToken)
    {
        try
        {
            if (call.Name is not (CheckAvailability or CreateEvent or ListEvents))
            {
                return ToolCallResult.Failed(call, $"Unknown tool '{call.Name}'.");
            }

            var arguments = ToolArguments.From(call.Arguments);
            if (connectionId is null)
            {
                return ToolCallResult.Failed(call, NoConnection);
            }

            if (!ConnectionIds.IsPlausible(connectionId))
            {
                return ToolCallResult.Failed(call, ConnectionNotFound);
            }

            var session = new CalendarSession(grains.GetGrain<IConnectionGrain>(connectionId), tenantId, cancellationToken);
            return call.Name switch
            {
                CheckAvailability => await CheckAvailabilityAsync(session, call, arguments),
                CreateEvent => await CreateEventAsync(session, call, arguments, EventIdFor(tenantId, connectionId, call.Id)),
                _ => await ListEventsAsync(session, call, arguments),
            };
        }
        catch (ToolArgumentException invalid)
        {
            return ToolCallResult.Failed(call, $"Invalid arguments: {invalid.Message}");
        }
        catch (OperationCanceledException)
        {
            LogOverBudget(logger, call.Name);
            return ToolCallResult.Failed(call, "Google Calendar is taking too long right now; please try again in a moment.");
        }
    }

    private async Task<ToolCallResult> CheckAvailabilityAsync(CalendarSession session, ToolCall call, ToolArguments arguments)
    {
        var zone = arguments.TimeZone();
        var (from, to) = Range(arguments, zone);
        var minimum = TimeSpan.FromMinutes(arguments.OptionalInt("durationMinutes", 30, 5, 480));
        var dayStart = arguments.TimeOfDay("workingHoursStart", new TimeOnly(9, 0));
        var dayEnd = arguments.TimeOfDay("workingHoursEnd", new TimeOnly(17, 0));
        var calendarId = arguments.OptionalString("calendarId") ?? "primary";

        var outcome = await WithTokenAsync(session, token => calendar.QueryFreeBusyAsync(token, from, to, zone.Id, [calendarId], session.CancellationToken));
        if (outcome.Error is { } error)
        {
            return ToolCallResult.Failed(call, error);
        }

        if (!outcome.Value!.Calendars.TryGetValue(calendarId, out var busy) || busy.Errors.Count > 0)
        {
            return ToolCallResult.Failed(call, $"The calendar '{calendarId}' was not found.");
        }

        var free = FreeWindows.Compute(from, to, busy.Busy.Select(b => new FreeWindows.Window(b.Start, b.End)), minimum, zone, dayStart, dayEnd);
        return ToolCallResult.Ok(call, free.Count == 0
            ? $"No free time of at least {minimum.TotalMinutes:0} minutes between {Spoken.Span(from, to, zone)} ({zone.Id})."
            : $"Free {DescribeWindows(free, zone)} ({zone.Id}).");
    }

    private async Task<ToolCallResult> CreateEventAsync(CalendarSession session, ToolCall call, ToolArguments arguments, string eventId)
    {
        var zone = arguments.TimeZone();
        var summary = arguments.RequiredString("summary");
        var start = arguments.DateTime("start", zone);
        var end = arguments.OptionalString("end") is null
            ? start.AddMinutes(arguments.OptionalInt("durationMinutes", 30, 5, 480))
            : arguments.DateTime("end", zone);
        if (end <= start)
        {
            throw new ToolArgumentException("end must be after start.");
        }

        var attendees = arguments.OptionalStrings("attendees");
        if (attendees.FirstOrDefault(a => !a.Contains('@', StringComparison.Ordinal)) is { } notAnEmail)
        {
            throw new ToolArgumentException($"attendee '{notAnEmail}' is not an email address.");
        }

        var newEvent = new NewEvent
        {
            Id = eventId,
            Summary = summary,
            Description = arguments.OptionalString("description"),
            Location = arguments.OptionalString("location"),
            Start = EventDateTime.At(start, zone.Id),
            End = EventDateTime.At(end, zone.Id),
            Attendees = attendees.Count == 0 ? null : [.. attendees.Select(email => new EventAttendee { Email = email })],
        };
        var calendarId = arguments.OptionalString("calendarId") ?? "primary";
        var outcome = await WithTokenAsync(session, token => calendar.InsertEventAsync(token, calendarId, newEvent, attendees.Count > 0 ? SendUpdates.All : null, session.CancellationToken));
        var when = $"{Spoken.Span(start, end, zone)} ({zone.Id})";
        if (outcome.CalendarError?.Kind == CalendarErrorKind.Conflict)
        {
            // The same tool call again (Vapi retried): the event id is derived from it, so it exists once.
            return ToolCallResult.Ok(call, $"\"{summary}\" is already booked for {when}.");
        }

        return outcome.Error is { } error
            ? ToolCallResult.Failed(call, error)
            : ToolCallResult.Ok(call, $"Booked \"{summary}\" for {when}{(attendees.Count > 0 ? $" and invited {attendees.Count} guest{(attendees.Count == 1 ? "" : "s")}" : "")}.");
    }

    private async Task<ToolCallResult> ListEventsAsync(CalendarSession session, ToolCall call, ToolArguments arguments)
    {
        var zone = arguments.TimeZone();
        var (from, to) = Range(arguments, zone);
        var max = arguments.OptionalInt("maxResults", 10, 1, 20);
        var calendarId = arguments.OptionalString("calendarId") ?? "primary";
        var outcome = await WithTokenAsync(session, token => calendar.ListEventsAsync(token, calendarId, from, to, zone.Id, max, cancellationToken: session.CancellationToken));
        if (outcome.Error is { } error)
        {
            return ToolCallResult.Failed(call, error);
        }

        var events = outcome.Value!.Items.Where(e => e.Status != "cancelled").ToList();
        if (events.Count == 0)
        {
            return ToolCallResult.Ok(call, $"No events between {Spoken.Span(from, to, zone)} ({zone.Id}).");
        }

        var multiDay = Spoken.Day(from, zone) != Spoken.Day(to.AddTicks(-1), zone);
        var described = events.Select(e => e.Start.DateTime is { } s && e.End.DateTime is { } t
            ? $"{Spoken.Span(s, t, zone, withDay: multiDay)} {e.Summary ?? "(no title)"}"
            : $"{(e.Start.Date is { } d ? d.ToString("ddd d MMM", System.Globalization.CultureInfo.InvariantCulture) + " " : "")}all day {e.Summary ?? "(no title)"}");
        return ToolCallResult.Ok(call, $"{events.Count} event{(events.Count == 1 ? "" : "s")} ({zone.Id}): {string.Join("; ", described)}.");
    }

    /// <summary>
    /// Gets a token and runs the Google call; a 401 means the token died (revoked, say), so the
    /// token is refreshed once: either the grain learns the grant is dead, or the call is retried.
    /// </summary>
    private static async Task<CalendarOutcome<T>> WithTokenAsync<T>(CalendarSession session, Func<string, Task<CalendarResult<T>>> action)
        where T : class
    {
        var (token, problem) = await session.TokenAsync(forceRefresh: false);
        if (token is null)
        {
            return new CalendarOutcome<T>(null, problem, null);
        }

        var result = await action(token);
        if (result.Error is { Kind: CalendarErrorKind.Unauthorized })
        {
            (token, problem) = await session.TokenAsync(forceRefresh: true);
            if (token is null)
            {
                return new CalendarOutcome<T>(null, problem, null);
            }

            result = await action(token);
        }

        return result.IsSuccess
            ? new CalendarOutcome<T>(result.Value, null, null)
            : new CalendarOutcome<T>(null, Describe(result.Error), result.Error);
    }

    private static string Describe(CalendarError error) => error.Kind switch
    {
        CalendarErrorKind.Unauthorized => Reconnect,
        CalendarErrorKind.Forbidden => "The calendar connection does not allow this; it must be reconnected with calendar access.",
        CalendarErrorKind.NotFound => "That calendar was not found.",
        CalendarErrorKind.Invalid => $"Google Calendar refused the request: {error.Message}",
        CalendarErrorKind.Conflict => "That event already exists.",
        _ => Unavailable,
    };

    private static (DateTimeOffset From, DateTimeOffset To) Range(ToolArguments arguments, TimeZoneInfo zone)
    {
        var from = arguments.DateTime("start", zone);
        var to = arguments.DateTime("end", zone, isEnd: true);
        return to <= from ? throw new ToolArgumentException("end must be after start.")
            : to - from > TimeSpan.FromDays(31) ? throw new ToolArgumentException("the range must be at most 31 days.")
            : (from, to);
    }

    private static string DescribeWindows(IReadOnlyList<FreeWindows.Window> windows, TimeZoneInfo zone)
    {
        const int MaxSpoken = 8;
        var days = windows.Take(MaxSpoken).GroupBy(w => Spoken.Day(w.Start, zone))
            .Select(day => $"{day.Key} {string.Join(" and ", day.Select(w => Spoken.Span(w.Start, w.End, zone, withDay: false)))}");
        return string.Join("; ", days) + (windows.Count > MaxSpoken ? $"; and {windows.Count - MaxSpoken} more" : "");
    }

    /// <summary>
    /// An event id derived from the tool call (Google's alphabet: base32hex, lower case), so a
    /// retried tool call finds its event instead of booking it twice.
    /// </summary>
    public static string EventIdFor(string tenantId, string connectionId, string toolCallId)
    {
        const string Alphabet = "0123456789abcdefghijklmnopqrstuv";
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{tenantId}\n{connectionId}\n{toolCallId}"));
        var id = new StringBuilder("cg");
        for (var i = 0; i < 26; i++)
        {
            var bit = i * 5;
            var value = ((hash[bit / 8] << 8 | hash[(bit / 8) + 1]) >> (11 - (bit % 8))) & 31;
            id.Append(Alphabet[value]);
        }

        return id.ToString();
    }

    /// <summary>A token for this tool call, from the connection's grain, bounded by the call's budget.</summary>
    private sealed class CalendarSession(IConnectionGrain connection, string tenantId, CancellationToken cancellationToken)
    {
        public CancellationToken CancellationToken => cancellationToken;

        public async Task<(string? Token, string? Problem)> TokenAsync(bool forceRefresh)
        {
            var result = await connection.GetAccessTokenAsync(tenantId, new TokenRequest(60, forceRefresh)).WaitAsync(cancellationToken);
            return result switch
            {
                TokenIssued issued => (issued.AccessToken, null),
                TokenNeedsReauth => (null, Reconnect),
                TokenNotFound => (null, ConnectionNotFound),
                _ => (null, Unavailable),
            };
        }
    }

    private sealed record CalendarOutcome<T>(T? Value, string? Error, CalendarError? CalendarError);

    [LoggerMessage(EventId = 801, EventName = "ToolCallOverBudget", Level = LogLevel.Warning, Message = "Tool call {Tool} ran out of its time budget")]
    private static partial void LogOverBudget(ILogger logger, string tool);
}
