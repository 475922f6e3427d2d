using CalendarGrains.Connections;

namespace CalendarGrains.Silo.Connections;

/// <summary>Vapi's credential shapes for a connection.</summary>
public static class VapiCredentials
{
    public const string GoogleCalendarProvider = "google.calendar.oauth2-authorization";

    /// <summary>Vapi limits credential names to 40 characters.</summary>
    public const int MaxNameLength = 40;

    public static string NameFor(ConnectionView view)
    {
        var name = $"Google Calendar {view.AccountEmail ?? view.EndUserId}";
        return name.Length <= MaxNameLength ? name : name[..MaxNameLength];
    }
}
