namespace CalendarGrains.Sandbox.Google.Calendar;

/// <summary>
/// When an event starts or ends: an instant (with the IANA zone it was given in, if any), or a date for
/// an all-day event (the end date is exclusive, as in Google's API).
/// </summary>
public sealed record CalendarEventTime(DateTimeOffset? DateTime, DateOnly? Date, string? TimeZone)
{
    public static CalendarEventTime At(DateTimeOffset instant, string? timeZone = null) => new(instant, null, timeZone);

    public static CalendarEventTime AllDay(DateOnly date) => new(null, date, null);

    /// <summary>The instant this stands for; a date starts at midnight in the calendar's zone.</summary>
    internal DateTimeOffset InstantIn(TimeZoneInfo calendarZone) =>
        DateTime ?? CalendarTime.StartOfDay(Date!.Value, calendarZone);
}

/// <summary>An event to put in an account's calendar, as a test or a person seeds it.</summary>
public sealed record CalendarEventSeed(string? Summary, CalendarEventTime Start, CalendarEventTime End)
{
    /// <summary>Google's event id (base32hex, 5 to 1024 characters); generated when null.</summary>
    public string? Id { get; init; }

    public string? Description { get; init; }

    public string? Location { get; init; }

    /// <summary>A transparent event does not block time in free/busy.</summary>
    public bool Transparent { get; init; }

    public IReadOnlyList<CalendarAttendee> Attendees { get; init; } = [];

    /// <summary><c>extendedProperties.private</c>: pairs only the organizer's copy carries (filter: <c>privateExtendedProperty</c>).</summary>
    public IReadOnlyDictionary<string, string> PrivateProperties { get; init; } = EmptyProperties;

    /// <summary><c>extendedProperties.shared</c>: pairs every guest's copy carries (filter: <c>sharedExtendedProperty</c>).</summary>
    public IReadOnlyDictionary<string, string> SharedProperties { get; init; } = EmptyProperties;

    /// <summary>A status the client set (<c>confirmed</c>, <c>tentative</c>, <c>cancelled</c>); null keeps the stored one (new events: confirmed).</summary>
    public string? Status { get; init; }

    internal static IReadOnlyDictionary<string, string> EmptyProperties { get; } = new Dictionary<string, string>(StringComparer.Ordinal);
}

/// <summary>A guest of an event.</summary>
public sealed record CalendarAttendee(string Email, string? DisplayName = null, bool Optional = false);

/// <summary>An event as the emulator holds it (cancelled ones included, as Google keeps them).</summary>
public sealed record EmulatedCalendarEvent(
    string Id,
    string CalendarId,
    string Status,
    string? Summary,
    string? Description,
    string? Location,
    CalendarEventTime Start,
    CalendarEventTime End,
    bool Transparent,
    IReadOnlyList<CalendarAttendee> Attendees,
    string? SendUpdates,
    DateTimeOffset Created,
    DateTimeOffset Updated)
{
    /// <summary><c>extendedProperties.private</c>.</summary>
    public IReadOnlyDictionary<string, string> PrivateProperties { get; init; } = CalendarEventSeed.EmptyProperties;

    /// <summary>Google's <c>sequence</c>: bumped when the times change.</summary>
    public int Sequence { get; init; }
}

/// <summary>A snapshot of the Calendar emulator's counters and contents.</summary>
/// <param name="Requests">Every Calendar API request, failed and injected ones included.</param>
/// <param name="FreeBusyQueries">Requests to <c>POST /freeBusy</c>.</param>
/// <param name="EventInserts">Requests to insert an event, whatever their outcome (seeding is not counted).</param>
/// <param name="EventLists">Requests to list events.</param>
/// <param name="EventGets">Requests to get one event.</param>
/// <param name="EventDeletes">Requests to delete an event.</param>
/// <param name="EventPatches">Requests to patch an event.</param>
/// <param name="EventUpdates">Requests to update (PUT) an event.</param>
/// <param name="CalendarGets">Requests to read a calendar (calendars.get).</param>
/// <param name="InjectedFailures">Requests answered with an armed failure.</param>
/// <param name="Calendars">Calendars that hold events or settings.</param>
/// <param name="Events">Events held, cancelled ones included.</param>
/// <param name="PendingFailures">Requests still armed to fail.</param>
/// <param name="LatencyMilliseconds">Delay before each Calendar API answer.</param>
public sealed record GoogleCalendarStats(
    long Requests,
    long FreeBusyQueries,
    long EventInserts,
    long EventLists,
    long EventGets,
    long EventDeletes,
    long EventPatches,
    long EventUpdates,
    long CalendarGets,
    long InjectedFailures,
    int Calendars,
    int Events,
    int PendingFailures,
    double LatencyMilliseconds);
