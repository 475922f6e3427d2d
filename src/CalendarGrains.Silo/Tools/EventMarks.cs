using CalendarGrains.Google.Calendar;
using CalendarGrains.Tools;

namespace CalendarGrains.Silo.Tools;

/// <summary>
/// How an event remembers that these tools touched it: private extended properties (Google keeps
/// them on the organizer's copy only; guests never see them, and events.list can filter on them).
/// <list type="bullet">
/// <item><c>calendarGrainsSource=vapi-tools</c>: created by <c>create_event</c>.</item>
/// <item><c>calendarGrainsCaller=+15550100</c>: the customer's number on the call that booked it.</item>
/// <item><c>calendarGrainsChange=&lt;id&gt;</c>: the last tool call that moved or cancelled it, so a retried
/// tool call finds its own change instead of looking for the event where it used to be.</item>
/// </list>
/// </summary>
public static class EventMarks
{
    public const string SourceKey = "calendarGrainsSource";
    public const string SourceValue = "vapi-tools";
    public const string CallerKey = "calendarGrainsCaller";
    public const string ChangeKey = "calendarGrainsChange";

    public static Dictionary<string, string> ForNewEvent(string? callerNumber)
    {
        var marks = new Dictionary<string, string>(StringComparer.Ordinal) { [SourceKey] = SourceValue };
        if (callerNumber is not null)
        {
            marks[CallerKey] = callerNumber;
        }

        return marks;
    }

    public static bool IsFromTools(CalendarEvent e) => Private(e, SourceKey) == SourceValue;

    /// <summary>Booked from the caller's number, or the caller's email is among the guests.</summary>
    public static bool MatchesCaller(CalendarEvent e, string? callerNumber, string? callerEmail) =>
        (callerNumber is not null && Private(e, CallerKey) == callerNumber)
        || (callerEmail is not null && e.Attendees.Any(a => string.Equals(a.Email, callerEmail, StringComparison.OrdinalIgnoreCase)));

    /// <summary>Whether the tenant's <see cref="EventScope"/> lets this call change the event.</summary>
    public static bool MayChange(CalendarEvent e, EventScope scope, string? callerNumber, string? callerEmail) => scope switch
    {
        EventScope.All => true,
        EventScope.Caller => MatchesCaller(e, callerNumber, callerEmail),
        _ => IsFromTools(e) || MatchesCaller(e, callerNumber, callerEmail),
    };

    private static string? Private(CalendarEvent e, string key) =>
        e.ExtendedProperties?.Private is { } values && values.TryGetValue(key, out var value) ? value : null;
}
