using System.Text.Json.Serialization;

namespace CalendarGrains.Sandbox.Google.Calendar;

// The Calendar API v3 resources with Google's camelCase names. They go through CalendarWireJson, never
// the host's JSON options, so a host that changes its naming policy cannot change the wire.

internal sealed record EventDateTimeBody(string? Date, string? DateTime, string? TimeZone);

internal sealed record EventAttendeeBody(
    string? Email,
    string? DisplayName,
    bool? Organizer,
    bool? Self,
    bool? Optional,
    string? ResponseStatus);

internal sealed record EventPersonBody(string Email, bool? Self);

internal sealed record ReminderBody(string Method, int Minutes);

internal sealed record EventRemindersBody(bool UseDefault);

/// <summary><c>extendedProperties</c>: string pairs, <c>private</c> to the organizer's copy or <c>shared</c> with guests.</summary>
internal sealed record ExtendedPropertiesBody(IReadOnlyDictionary<string, string?>? Private, IReadOnlyDictionary<string, string?>? Shared);

/// <summary>What a client sends to events.insert (the control surface's seed route takes it too).</summary>
internal sealed record EventInsertBody(
    string? Id,
    string? Summary,
    string? Description,
    string? Location,
    EventDateTimeBody? Start,
    EventDateTimeBody? End,
    IReadOnlyList<EventAttendeeBody?>? Attendees,
    string? Transparency,
    ExtendedPropertiesBody? ExtendedProperties = null,
    string? Status = null);

/// <summary>An Event resource as Google answers it.</summary>
internal sealed record EventResource(
    string Kind,
    string Etag,
    string Id,
    string Status,
    string HtmlLink,
    string Created,
    string Updated,
    string? Summary,
    string? Description,
    string? Location,
    EventPersonBody Creator,
    EventPersonBody Organizer,
    EventDateTimeBody Start,
    EventDateTimeBody End,
    string? Transparency,
    [property: JsonPropertyName("iCalUID")] string ICalUid,
    int Sequence,
    IReadOnlyList<EventAttendeeBody>? Attendees,
    EventRemindersBody Reminders,
    string EventType,
    ExtendedPropertiesBody? ExtendedProperties);

/// <summary>A Calendar resource (calendars.get).</summary>
internal sealed record CalendarResource(string Kind, string Etag, string Id, string Summary, string TimeZone);

internal sealed record EventsResource(
    string Kind,
    string Etag,
    string Summary,
    string Updated,
    string TimeZone,
    string AccessRole,
    IReadOnlyList<ReminderBody> DefaultReminders,
    string? NextPageToken,
    IReadOnlyList<EventResource> Items);

internal sealed record FreeBusyItemBody(string? Id);

internal sealed record FreeBusyRequestBody(
    string? TimeMin,
    string? TimeMax,
    string? TimeZone,
    IReadOnlyList<FreeBusyItemBody?>? Items,
    int? CalendarExpansionMax);

internal sealed record TimePeriodBody(string Start, string End);

internal sealed record FreeBusyCalendarBody(IReadOnlyList<ErrorItemBody>? Errors, IReadOnlyList<TimePeriodBody> Busy);

internal sealed record FreeBusyResource(
    string Kind,
    string TimeMin,
    string TimeMax,
    IReadOnlyDictionary<string, FreeBusyCalendarBody> Calendars);

/// <summary>Google's API error: <c>{"error":{"code","message","errors":[{"domain","reason","message"}],"status"}}</c>.</summary>
internal sealed record ApiErrorBody(ApiErrorDetail Error);

internal sealed record ApiErrorDetail(int Code, string Message, IReadOnlyList<ErrorItemBody> Errors, string? Status);

internal sealed record ErrorItemBody(string Domain, string Reason, string? Message, string? LocationType, string? Location);

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(EventInsertBody))]
[JsonSerializable(typeof(EventResource))]
[JsonSerializable(typeof(EventsResource))]
[JsonSerializable(typeof(FreeBusyRequestBody))]
[JsonSerializable(typeof(FreeBusyResource))]
[JsonSerializable(typeof(ApiErrorBody))]
[JsonSerializable(typeof(CalendarResource))]
[JsonSerializable(typeof(System.Text.Json.Nodes.JsonObject))]
internal sealed partial class CalendarWireJson : JsonSerializerContext;
