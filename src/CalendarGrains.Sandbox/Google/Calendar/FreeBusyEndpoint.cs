namespace CalendarGrains.Sandbox.Google.Calendar;

/// <summary><c>POST /freeBusy</c>: the busy intervals of the asked calendars within a window.</summary>
internal static class FreeBusyEndpoint
{
    /// <summary>Google answers at most 50 calendars per query; the rest get <c>tooManyCalendarsRequested</c>.</summary>
    private const int MaxCalendars = 50;

    public static void Map(RouteGroupBuilder calendar) => calendar.MapPost("/freeBusy", QueryAsync);

    private static async Task<IResult> QueryAsync(HttpContext context, GoogleCalendarEmulator emulator)
    {
        var (email, error) = await emulator.AdmitAsync(context, CalendarOperation.FreeBusy, CalendarScopes.ForFreeBusy);
        if (error is not null)
        {
            return CalendarResults.Error(context, error);
        }

        var (body, unreadable) = await CalendarResults.ReadAsync(context, CalendarWireJson.Default.FreeBusyRequestBody);
        if (unreadable is not null)
        {
            return CalendarResults.Error(context, unreadable);
        }

        if (Validate(body!, out var window, out var zone, out var limit) is { } invalid)
        {
            return CalendarResults.Error(context, invalid);
        }

        var calendars = new Dictionary<string, FreeBusyCalendarBody>(StringComparer.Ordinal);
        var ids = (body!.Items ?? []).Select(item => item?.Id ?? "").ToArray();
        for (var i = 0; i < ids.Length; i++)
        {
            calendars[ids[i]] = i >= limit ? Failed("tooManyCalendarsRequested")
                : EventsEndpoints.IsOwnCalendar(ids[i], email!) ? Busy(emulator.Store.Read(email!), window, zone)
                : Failed("notFound");
        }

        return CalendarResults.Json(
            new FreeBusyResource(
                "calendar#freeBusy",
                CalendarTime.FormatUtcMilliseconds(window.Start),
                CalendarTime.FormatUtcMilliseconds(window.End),
                calendars),
            CalendarWireJson.Default.FreeBusyResource);
    }

    private static CalendarApiError? Validate(FreeBusyRequestBody body, out (DateTimeOffset Start, DateTimeOffset End) window, out TimeZoneInfo zone, out int limit)
    {
        window = default;
        zone = CalendarTime.Utc;
        limit = Math.Min(body.CalendarExpansionMax ?? MaxCalendars, MaxCalendars);
        DateTimeOffset? start = null, end = null;
        if (body.TimeMin is null)
        {
            return CalendarApiError.Required("Missing timeMin parameter.");
        }

        if (body.TimeMax is null)
        {
            return CalendarApiError.Required("Missing timeMax parameter.");
        }

        var invalid = EventsEndpoints.ReadInstant(body.TimeMin, out start);
        invalid ??= EventsEndpoints.ReadInstant(body.TimeMax, out end);
        if (invalid is not null)
        {
            return invalid;
        }

        if (body.TimeZone is not null && !CalendarTime.TryFindZone(body.TimeZone, out zone))
        {
            return CalendarApiError.Invalid("Invalid time zone definition.");
        }

        if (body.CalendarExpansionMax is < 1)
        {
            return CalendarApiError.Invalid($"Invalid value for calendarExpansionMax: {body.CalendarExpansionMax}.");
        }

        window = (start!.Value, end!.Value);
        return window.End <= window.Start ? CalendarApiError.TimeRangeEmpty : null;
    }

    /// <summary>Busy times are written in the request's timeZone (default UTC), as Google does.</summary>
    private static FreeBusyCalendarBody Busy(AccountCalendar calendar, (DateTimeOffset Start, DateTimeOffset End) window, TimeZoneInfo zone) =>
        new(null, calendar.Busy(window.Start, window.End)
            .Select(b => new TimePeriodBody(CalendarTime.Format(b.Start, zone), CalendarTime.Format(b.End, zone)))
            .ToArray());

    private static FreeBusyCalendarBody Failed(string reason) => new([new ErrorItemBody("global", reason, null, null, null)], []);
}
