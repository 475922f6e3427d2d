namespace CalendarGrains.Sandbox.Google.Calendar;

/// <summary>Maps Google Calendar API v3 (<c>www.googleapis.com/calendar/v3</c>) and its control surface.</summary>
internal static class CalendarApi
{
    /// <summary>Relative to the Google emulator's group: <c>/calendar/v3/...</c> and <c>/_emulator/calendar/...</c>.</summary>
    public static void Map(RouteGroupBuilder google)
    {
        var calendar = google.MapGroup("/calendar/v3");
        FreeBusyEndpoint.Map(calendar);
        EventsEndpoints.Map(calendar);
        CalendarsEndpoint.Map(calendar);
        CalendarControlEndpoints.Map(google);
    }
}
