using System.Globalization;

namespace CalendarGrains.Sandbox.Google.Calendar;

/// <summary><c>/calendars/{calendarId}/events[/{eventId}]</c>: insert, list, get, update, patch and delete.</summary>
internal static class EventsEndpoints
{
    /// <summary>Google's default page size, and the most it ever answers in one page.</summary>
    private const int DefaultPageSize = 250;
    private const int MaxPageSize = 2500;

    public static void Map(RouteGroupBuilder calendar)
    {
        calendar.MapPost("/calendars/{calendarId}/events", InsertAsync);
        calendar.MapGet("/calendars/{calendarId}/events", ListAsync);
        calendar.MapGet("/calendars/{calendarId}/events/{eventId}", GetAsync);
        calendar.MapDelete("/calendars/{calendarId}/events/{eventId}", DeleteAsync);
        calendar.MapPut("/calendars/{calendarId}/events/{eventId}", UpdateAsync);
        calendar.MapPatch("/calendars/{calendarId}/events/{eventId}", PatchAsync);
    }

    /// <summary>
    /// Only the caller's own calendar is reachable: <c>primary</c> or its id (the email). Sharing is not
    /// emulated, and Google answers 404, not 403, for a calendar the caller cannot see.
    /// </summary>
    public static bool IsOwnCalendar(string calendarId, string email) =>
        calendarId == "primary" || string.Equals(calendarId, email, StringComparison.OrdinalIgnoreCase);

    private static async Task<IResult> InsertAsync(HttpContext context, string calendarId, GoogleCalendarEmulator emulator)
    {
        var (email, error) = await emulator.AdmitAsync(context, CalendarOperation.Insert, CalendarScopes.ForWritingEvents);
        error ??= IsOwnCalendar(calendarId, email!) ? null : CalendarApiError.NotFound;
        var sendUpdates = context.Request.Query["sendUpdates"].FirstOrNull();
        error ??= CheckSendUpdates(sendUpdates);
        return error is null
            ? await InsertBodyAsync(context, email!, sendUpdates, emulator)
            : CalendarResults.Error(context, error);
    }

    /// <summary>Reads a Google event body and inserts it: events.insert, and the control surface's seeding.</summary>
    internal static async Task<IResult> InsertBodyAsync(HttpContext context, string email, string? sendUpdates, GoogleCalendarEmulator emulator)
    {
        var (body, error) = await CalendarResults.ReadAsync(context, CalendarWireJson.Default.EventInsertBody);
        CalendarEventSeed? seed = null;
        StoredEvent? stored = null;
        error ??= EventRules.Parse(body!, out seed);
        error ??= emulator.Insert(email, seed!, sendUpdates, out stored);
        return error is null
            ? CalendarResults.Json(EventRenderer.Render(stored!, emulator.Store.Read(email), responseZone: null), CalendarWireJson.Default.EventResource)
            : CalendarResults.Error(context, error);
    }

    private static async Task<IResult> ListAsync(HttpContext context, string calendarId, GoogleCalendarEmulator emulator)
    {
        var (email, error) = await emulator.AdmitAsync(context, CalendarOperation.List, CalendarScopes.ForReadingEvents);
        error ??= IsOwnCalendar(calendarId, email!) ? null : CalendarApiError.NotFound;
        EventQuery? query = null;
        TimeZoneInfo? responseZone = null;
        error ??= ReadListQuery(context.Request.Query, out query, out responseZone);
        if (error is not null)
        {
            return CalendarResults.Error(context, error);
        }

        var calendar = emulator.Store.Read(email!);
        var page = calendar.List(query!);
        return CalendarResults.Json(EventRenderer.RenderList(calendar, page, responseZone, emulator.Time.GetUtcNow()), CalendarWireJson.Default.EventsResource);
    }

    private static async Task<IResult> GetAsync(HttpContext context, string calendarId, string eventId, GoogleCalendarEmulator emulator)
    {
        var (email, error) = await emulator.AdmitAsync(context, CalendarOperation.Get, CalendarScopes.ForReadingEvents);
        error ??= IsOwnCalendar(calendarId, email!) ? null : CalendarApiError.NotFound;
        TimeZoneInfo? responseZone = null;
        error ??= ReadTimeZone(context.Request.Query, out responseZone);
        if (error is not null)
        {
            return CalendarResults.Error(context, error);
        }

        // Note: Google still answers a deleted event here, with status "cancelled".
        var calendar = emulator.Store.Read(email!);
        return calendar.Find(eventId) is { } stored
            ? CalendarResults.Json(EventRenderer.Render(stored, calendar, responseZone), CalendarWireJson.Default.EventResource)
            : CalendarResults.Error(context, CalendarApiError.NotFound);
    }

    private static async Task<IResult> DeleteAsync(HttpContext context, string calendarId, string eventId, GoogleCalendarEmulator emulator)
    {
        var (email, error) = await emulator.AdmitAsync(context, CalendarOperation.Delete, CalendarScopes.ForWritingEvents);
        error ??= IsOwnCalendar(calendarId, email!) ? null : CalendarApiError.NotFound;
        error ??= CheckSendUpdates(context.Request.Query["sendUpdates"].FirstOrNull());
        error ??= emulator.Store.Read(email!).Cancel(eventId, IfMatch(context), emulator.Time.GetUtcNow());
        return error is null ? TypedResults.NoContent() : CalendarResults.Error(context, error);
    }

    /// <summary>events.update (PUT): the body replaces the event's writable members, checked as an insert is.</summary>
    private static async Task<IResult> UpdateAsync(HttpContext context, string calendarId, string eventId, GoogleCalendarEmulator emulator)
    {
        var (email, error) = await emulator.AdmitAsync(context, CalendarOperation.Update, CalendarScopes.ForWritingEvents);
        error ??= IsOwnCalendar(calendarId, email!) ? null : CalendarApiError.NotFound;
        error ??= CheckSendUpdates(context.Request.Query["sendUpdates"].FirstOrNull());
        EventInsertBody? body = null;
        if (error is null)
        {
            (body, error) = await CalendarResults.ReadAsync(context, CalendarWireJson.Default.EventInsertBody);
        }

        StoredEvent? stored = null;
        error ??= emulator.Change(email!, eventId, IfMatch(context), _ => EventRules.Parse(body!, out var seed) is { } invalid ? (null, invalid) : (seed, null), out stored);
        return Changed(context, error, stored, email, emulator);
    }

    /// <summary>events.patch: the body is merged into the event (<see cref="EventPatching"/>).</summary>
    private static async Task<IResult> PatchAsync(HttpContext context, string calendarId, string eventId, GoogleCalendarEmulator emulator)
    {
        var (email, error) = await emulator.AdmitAsync(context, CalendarOperation.Patch, CalendarScopes.ForWritingEvents);
        error ??= IsOwnCalendar(calendarId, email!) ? null : CalendarApiError.NotFound;
        error ??= CheckSendUpdates(context.Request.Query["sendUpdates"].FirstOrNull());
        System.Text.Json.Nodes.JsonObject? patch = null;
        if (error is null)
        {
            (patch, error) = await CalendarResults.ReadAsync(context, CalendarWireJson.Default.JsonObject);
        }

        StoredEvent? stored = null;
        error ??= emulator.Change(email!, eventId, IfMatch(context), existing => EventPatching.Apply(existing, patch!), out stored);
        return Changed(context, error, stored, email, emulator);
    }

    private static IResult Changed(HttpContext context, CalendarApiError? error, StoredEvent? stored, string? email, GoogleCalendarEmulator emulator)
    {
        if (error is not null)
        {
            return CalendarResults.Error(context, error);
        }

        TimeZoneInfo? responseZone = null;
        return ReadTimeZone(context.Request.Query, out responseZone) is { } badZone
            ? CalendarResults.Error(context, badZone)
            : CalendarResults.Json(EventRenderer.Render(stored!, emulator.Store.Read(email!), responseZone), CalendarWireJson.Default.EventResource);
    }

    private static string? IfMatch(HttpContext context) => context.Request.Headers.IfMatch.FirstOrNull();

    private static CalendarApiError? CheckSendUpdates(string? sendUpdates) =>
        sendUpdates is null or "all" or "externalOnly" or "none"
            ? null
            : CalendarApiError.Invalid($"Invalid value '{sendUpdates}' for sendUpdates.");

    private static CalendarApiError? ReadListQuery(IQueryCollection parameters, out EventQuery? query, out TimeZoneInfo? responseZone)
    {
        query = null;
        string? Value(string name) => parameters[name].FirstOrNull();
        DateTimeOffset? timeMin = null, timeMax = null;
        var singleEvents = false;
        var showDeleted = false;
        var maxResults = DefaultPageSize;
        var order = EventOrder.Unspecified;
        responseZone = null;
        var error = ReadTimeZone(parameters, out responseZone);
        error ??= ReadInstant(Value("timeMin"), out timeMin);
        error ??= ReadInstant(Value("timeMax"), out timeMax);
        error ??= ReadBoolean(Value("singleEvents"), "singleEvents", out singleEvents);
        error ??= ReadBoolean(Value("showDeleted"), "showDeleted", out showDeleted);
        error ??= ReadPageSize(Value("maxResults"), out maxResults);
        error ??= ReadOrder(Value("orderBy"), singleEvents, out order);
        if (error is not null)
        {
            return error;
        }

        if (timeMin is { } min && timeMax is { } max && max <= min)
        {
            return CalendarApiError.TimeRangeEmpty;
        }

        EventCursor? after = null;
        if (Value("pageToken") is { Length: > 0 } token)
        {
            if (!EventCursor.TryDecode(token, order, out var cursor))
            {
                return CalendarApiError.Invalid("Invalid page token.");
            }

            after = cursor;
        }

        if (!TryReadFilters(parameters["privateExtendedProperty"], out var privateFilters) || !TryReadFilters(parameters["sharedExtendedProperty"], out var sharedFilters))
        {
            return CalendarApiError.Invalid("Invalid extended property filter: use key=value.");
        }

        query = new EventQuery(timeMin, timeMax, Value("q") is { Length: > 0 } text ? text : null, order, showDeleted, maxResults, after)
        {
            PrivateFilters = privateFilters,
            SharedFilters = sharedFilters,
        };
        return null;
    }

    /// <summary><c>privateExtendedProperty=key=value</c>, repeatable; the key ends at the first <c>=</c>.</summary>
    private static bool TryReadFilters(Microsoft.Extensions.Primitives.StringValues values, out IReadOnlyList<KeyValuePair<string, string>> filters)
    {
        var list = new List<KeyValuePair<string, string>>();
        filters = list;
        foreach (var value in values)
        {
            var split = value?.IndexOf('=', StringComparison.Ordinal) ?? -1;
            if (split <= 0)
            {
                return false;
            }

            list.Add(KeyValuePair.Create(value![..split], value[(split + 1)..]));
        }

        return true;
    }

    private static CalendarApiError? ReadTimeZone(IQueryCollection parameters, out TimeZoneInfo? zone)
    {
        zone = null;
        var id = parameters["timeZone"].FirstOrNull();
        if (id is null)
        {
            return null;
        }

        if (!CalendarTime.TryFindZone(id, out var found))
        {
            return CalendarApiError.Invalid("Invalid time zone definition.");
        }

        zone = found;
        return null;
    }

    /// <summary>timeMin and timeMax must carry an offset, as Google insists (<c>2030-01-01T10:00:00-07:00</c> or <c>...Z</c>).</summary>
    internal static CalendarApiError? ReadInstant(string? value, out DateTimeOffset? instant)
    {
        instant = null;
        if (value is null)
        {
            return null;
        }

        if (!CalendarTime.TryParseInstant(value, out var parsed))
        {
            return CalendarApiError.BadRequest("Bad Request");
        }

        instant = parsed;
        return null;
    }

    private static CalendarApiError? ReadBoolean(string? value, string name, out bool result)
    {
        result = false;
        if (value is null)
        {
            return null;
        }

        return bool.TryParse(value, out result) ? null : CalendarApiError.Invalid($"Invalid boolean value for {name}: '{value}'.");
    }

    private static CalendarApiError? ReadPageSize(string? value, out int size)
    {
        size = DefaultPageSize;
        if (value is null)
        {
            return null;
        }

        if (!int.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var parsed) || parsed < 1)
        {
            return CalendarApiError.Invalid($"Invalid value '{value}'. Values must be within the range: [1, {MaxPageSize}]");
        }

        // Google never answers more than 2500 in a page, whatever was asked.
        size = Math.Min(parsed, MaxPageSize);
        return null;
    }

    private static CalendarApiError? ReadOrder(string? value, bool singleEvents, out EventOrder order)
    {
        order = EventOrder.Unspecified;
        switch (value)
        {
            case null:
                return null;
            case "startTime" when !singleEvents:
                // Recurring events have no single start time unless expanded into instances.
                return CalendarApiError.BadRequest("The requested ordering is not available for the particular query.");
            case "startTime":
                order = EventOrder.StartTime;
                return null;
            case "updated":
                order = EventOrder.Updated;
                return null;
            default:
                return CalendarApiError.Invalid($"Invalid value for orderBy: '{value}'.");
        }
    }
}
