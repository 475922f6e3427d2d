using CalendarGrains.Connections;

namespace CalendarGrains.Vapi;

/// <summary>Vapi's credential shapes for a connection.</summary>
public static class VapiCredentials
{
    public const string GoogleCalendarProvider = "google.calendar.oauth2-authorization";

    /// <summary>Vapi limits credential names to 40 characters.</summary>
    public const int MaxNameLength = 40;

    /// <summary>The credential item for an assistant's (or assistantOverrides') <c>credentials</c>.</summary>
    public static VapiCredentialItem ItemFor(ConnectionView view) => new(GoogleCalendarProvider, view.Id, NameFor(view));

    public static string NameFor(ConnectionView view)
    {
        var name = $"Google Calendar {view.AccountEmail ?? view.EndUserId}";
        return name.Length <= MaxNameLength ? name : name[..MaxNameLength];
    }
}

/// <summary>Vapi's <c>google.calendar.oauth2-authorization</c> credential item.</summary>
public sealed record VapiCredentialItem(string Provider, string AuthorizationId, string Name);
