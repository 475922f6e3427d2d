using System.Text.Json.Serialization;

namespace CalendarGrains.Google.Calendar;

// Google Calendar API v3 resources, with Google's camelCase names (GoogleCalendarJson). A collection or
// object Google leaves out reads as empty, never as null. Note: the JSON source generator sets every
// init-only property, absent ones to null, so the empty value lives in the getter, not an initializer.

/// <summary>
/// When an event starts or ends: an instant (<see cref="DateTime"/>, optionally with the IANA zone the
/// event belongs to) or a date for an all-day event (Google's end date is exclusive).
/// </summary>
public sealed record EventDateTime
{
    public DateTimeOffset? DateTime { get; init; }

    public DateOnly? Date { get; init; }

    public string? TimeZone { get; init; }

    public static EventDateTime At(DateTimeOffset instant, string? timeZone = null) => new() { DateTime = instant, TimeZone = timeZone };

    public static EventDateTime AllDay(DateOnly date) => new() { Date = date };
}

public sealed record EventAttendee
{
    public string? Email { get; init; }

    public string? DisplayName { get; init; }

    public bool? Optional { get; init; }

    /// <summary><c>needsAction</c>, <c>declined</c>, <c>tentative</c> or <c>accepted</c> (answers only).</summary>
    public string? ResponseStatus { get; init; }
}

public sealed record EventPerson
{
    public string? Email { get; init; }

    public string? DisplayName { get; init; }

    public bool? Self { get; init; }
}

/// <summary>The body of events.insert.</summary>
public sealed record NewEvent
{
    /// <summary>
    /// Optional id of our choosing (base32hex: a-v and 0-9, 5 to 1024 characters). With one, a caller who
    /// retries an insert that timed out gets a <see cref="CalendarErrorKind.Conflict"/> instead of a duplicate.
    /// </summary>
    public string? Id { get; init; }

    public string? Summary { get; init; }

    public string? Description { get; init; }

    public string? Location { get; init; }

    public required EventDateTime Start { get; init; }

    public required EventDateTime End { get; init; }

    public IReadOnlyList<EventAttendee>? Attendees { get; init; }

    /// <summary>Key-value pairs stored on the event (<c>private</c>: this calendar's copy only; <c>shared</c>: every guest's).</summary>
    public EventExtendedProperties? ExtendedProperties { get; init; }
}

/// <summary>An event's <c>extendedProperties</c>: string pairs, filterable in events.list.</summary>
public sealed record EventExtendedProperties
{
    public IReadOnlyDictionary<string, string>? Private { get; init; }

    public IReadOnlyDictionary<string, string>? Shared { get; init; }
}

/// <summary>
/// The members of an event to change with events.patch; null members stay as they are. Times replace
/// the whole of <c>start</c>/<c>end</c> (a timed event can become all-day and back); private
/// properties are merged into the event's, key by key, as Google merges patched maps.
/// </summary>
public sealed record EventPatch
{
    public EventDateTime? Start { get; init; }

    public EventDateTime? End { get; init; }

    public string? Summary { get; init; }

    public IReadOnlyDictionary<string, string>? PrivateProperties { get; init; }
}

/// <summary>What events.delete answers: nothing (204).</summary>
public sealed record EventDeleted
{
    public static EventDeleted Instance { get; } = new();
}

/// <summary>A Calendar resource (calendars.get): for a primary calendar the id is the account's email.</summary>
public sealed record CalendarInfo
{
    public string? Id { get; init; }

    public string? Summary { get; init; }

    /// <summary>The calendar's own IANA time zone.</summary>
    public string? TimeZone { get; init; }
}

/// <summary>
/// events.list's parameters. Bounds as Google reads them: an event is in when it ends after
/// <see cref="TimeMin"/> and starts before <see cref="TimeMax"/>.
/// </summary>
public sealed record EventListQuery
{
    public DateTimeOffset? TimeMin { get; init; }

    public DateTimeOffset? TimeMax { get; init; }

    /// <summary>The zone answers are written in (an IANA id); null for the calendar's own.</summary>
    public string? TimeZone { get; init; }

    /// <summary>Page size, 1 to 2500.</summary>
    public int MaxResults { get; init; } = 250;

    public string? PageToken { get; init; }

    /// <summary>Only events that carry all these private extended properties (<c>privateExtendedProperty=key=value</c>).</summary>
    public IReadOnlyDictionary<string, string>? PrivateProperties { get; init; }

    /// <summary>Include cancelled (deleted) events.</summary>
    public bool ShowDeleted { get; init; }

    /// <summary>Free text searched in summary, description, location and guests (<c>q</c>).</summary>
    public string? Text { get; init; }
}

/// <summary>Who Google tells about a new event (the <c>sendUpdates</c> parameter).</summary>
public enum SendUpdates
{
    All,
    ExternalOnly,
    None,
}

/// <summary>An Event resource as Google answers it.</summary>
public sealed record CalendarEvent
{
    public string Id { get => field ?? ""; init; }

    /// <summary><c>confirmed</c>, <c>tentative</c> or <c>cancelled</c>.</summary>
    public string? Status { get; init; }

    public string? HtmlLink { get; init; }

    public string? Summary { get; init; }

    public string? Description { get; init; }

    public string? Location { get; init; }

    public EventDateTime Start { get => field ?? new(); init; }

    public EventDateTime End { get => field ?? new(); init; }

    /// <summary><c>transparent</c> when the event does not block time; absent means opaque.</summary>
    public string? Transparency { get; init; }

    public EventPerson? Creator { get; init; }

    public EventPerson? Organizer { get; init; }

    public IReadOnlyList<EventAttendee> Attendees { get => field ?? []; init; }

    public DateTimeOffset? Created { get; init; }

    public DateTimeOffset? Updated { get; init; }

    [JsonPropertyName("iCalUID")]
    public string? ICalUid { get; init; }

    public EventExtendedProperties? ExtendedProperties { get; init; }

    public string? Etag { get; init; }
}

/// <summary>One page of events.list.</summary>
public sealed record CalendarEventList
{
    /// <summary>The calendar's title (for a primary calendar, the account's email).</summary>
    public string? Summary { get; init; }

    /// <summary>The calendar's own time zone.</summary>
    public string? TimeZone { get; init; }

    public IReadOnlyList<CalendarEvent> Items { get => field ?? []; init; }

    /// <summary>Set when more events match; pass it back to read the next page.</summary>
    public string? NextPageToken { get; init; }
}

/// <summary>The body of freebusy.query.</summary>
public sealed record FreeBusyRequest(DateTimeOffset TimeMin, DateTimeOffset TimeMax, string? TimeZone, IReadOnlyList<FreeBusyRequestItem> Items);

public sealed record FreeBusyRequestItem(string Id);

/// <summary>freebusy.query's answer; <see cref="Calendars"/> is keyed by the ids as asked (e.g. <c>primary</c>).</summary>
public sealed record FreeBusyResponse
{
    public DateTimeOffset TimeMin { get; init; }

    public DateTimeOffset TimeMax { get; init; }

    public IReadOnlyDictionary<string, FreeBusyCalendar> Calendars { get => field ?? new Dictionary<string, FreeBusyCalendar>(); init; }
}

/// <summary>One calendar's busy time; <see cref="Errors"/> is set instead when Google could not read it (e.g. <c>notFound</c>).</summary>
public sealed record FreeBusyCalendar
{
    public IReadOnlyList<TimePeriod> Busy { get => field ?? []; init; }

    public IReadOnlyList<GoogleErrorItem> Errors { get => field ?? []; init; }
}

/// <summary>A busy interval: start inclusive, end exclusive.</summary>
public sealed record TimePeriod(DateTimeOffset Start, DateTimeOffset End);

public sealed record GoogleErrorItem
{
    public string? Domain { get; init; }

    public string? Reason { get; init; }

    public string? Message { get; init; }
}

/// <summary>Google's API error body: <c>{"error":{"code","message","errors":[...],"status"}}</c>.</summary>
internal sealed record GoogleErrorBody
{
    public GoogleErrorDetail? Error { get; init; }
}

internal sealed record GoogleErrorDetail
{
    public int Code { get; init; }

    public string? Message { get; init; }

    public IReadOnlyList<GoogleErrorItem> Errors { get => field ?? []; init; }

    public string? Status { get; init; }
}

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(NewEvent))]
[JsonSerializable(typeof(CalendarEvent))]
[JsonSerializable(typeof(CalendarEventList))]
[JsonSerializable(typeof(FreeBusyRequest))]
[JsonSerializable(typeof(FreeBusyResponse))]
[JsonSerializable(typeof(GoogleErrorBody))]
[JsonSerializable(typeof(CalendarInfo))]
internal sealed partial class GoogleCalendarJson : JsonSerializerContext;
