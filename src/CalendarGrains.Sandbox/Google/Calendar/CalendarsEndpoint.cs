using System.Globalization;

namespace CalendarGrains.Sandbox.Google.Calendar;

/// <summary><c>GET /calendars/{calendarId}</c> (calendars.get): the account's one calendar, with its own time zone.</summary>
internal static class CalendarsEndpoint
{
    public static void Map(RouteGroupBuilder calendar) => calendar.MapGet("/calendars/{calendarId}", GetAsync);

    private static async Task<IResult> GetAsync(HttpContext context, string calendarId, GoogleCalendarEmulator emulator)
    {
        var (email, error) = await emulator.AdmitAsync(context, CalendarOperation.GetCalendar, CalendarScopes.ForReadingEvents);
        error ??= EventsEndpoints.IsOwnCalendar(calendarId, email!) ? null : CalendarApiError.NotFound;
        if (error is not null)
        {
            return CalendarResults.Error(context, error);
        }

        var calendar = emulator.Store.Read(email!);
        return CalendarResults.Json(
            new CalendarResource(
                "calendar#calendar",
                string.Create(CultureInfo.InvariantCulture, $"\"{calendar.Zone.Id.GetHashCode(StringComparison.Ordinal) & 0x7fffffff}\""),
                calendar.Id,
                calendar.Id,
                calendar.Zone.Id),
            CalendarWireJson.Default.CalendarResource);
    }
}
