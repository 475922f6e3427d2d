namespace CalendarGrains.Sandbox.Google.Calendar;

/// <summary>The Calendar scopes each kind of call accepts (any one of them is enough).</summary>
internal static class CalendarScopes
{
    public const string Calendar = "https://www.googleapis.com/auth/calendar";
    public const string ReadOnly = "https://www.googleapis.com/auth/calendar.readonly";
    public const string Events = "https://www.googleapis.com/auth/calendar.events";
    public const string EventsReadOnly = "https://www.googleapis.com/auth/calendar.events.readonly";
    public const string FreeBusy = "https://www.googleapis.com/auth/calendar.freebusy";

    public static IReadOnlyList<string> ForFreeBusy { get; } = [Calendar, ReadOnly, Events, EventsReadOnly, FreeBusy];

    public static IReadOnlyList<string> ForReadingEvents { get; } = [Calendar, ReadOnly, Events, EventsReadOnly];

    public static IReadOnlyList<string> ForWritingEvents { get; } = [Calendar, Events];
}
