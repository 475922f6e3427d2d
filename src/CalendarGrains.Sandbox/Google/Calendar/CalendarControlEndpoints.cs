using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CalendarGrains.Sandbox.Google.Calendar;

/// <summary>
/// <c>{prefix}/_emulator/calendar/...</c>: the knobs of <see cref="GoogleCalendarEmulator"/> over HTTP, for
/// people using the sandbox and tests in other processes. Knob changes answer the resulting stats.
/// </summary>
internal static class CalendarControlEndpoints
{
    public static void Map(RouteGroupBuilder google)
    {
        var control = google.MapGroup("/_emulator/calendar");
        control.MapGet("/stats", (GoogleCalendarEmulator emulator) => Stats(emulator));
        control.MapPost("/fail-next", FailNextAsync);
        control.MapPost("/latency", LatencyAsync);
        control.MapPost("/reset", (GoogleCalendarEmulator emulator) =>
        {
            emulator.Reset();
            return Stats(emulator);
        });
        control.MapGet("/accounts/{email}/events", ListEvents);
        control.MapPost("/accounts/{email}/events", SeedAsync);
        control.MapPut("/accounts/{email}/time-zone", TimeZoneAsync);
    }

    private static async Task<IResult> FailNextAsync(HttpRequest request, GoogleCalendarEmulator emulator)
    {
        var body = await ControlEndpoints.ReadAsync(request, CalendarControlJson.Default.CalendarFailNextRequest);
        if (body is not { Count: >= 0, Status: >= 400 and <= 599 })
        {
            return ControlEndpoints.Invalid("Send {\"count\": n >= 0, \"status\": 400..599, \"reason\"?: \"rateLimitExceeded\"}.");
        }

        emulator.FailNext(body.Count.Value, body.Status.Value, body.Reason);
        return Stats(emulator);
    }

    private static async Task<IResult> LatencyAsync(HttpRequest request, GoogleCalendarEmulator emulator)
    {
        var body = await ControlEndpoints.ReadAsync(request, CalendarControlJson.Default.LatencyRequest);
        if (body is not { Milliseconds: >= 0 and <= 600_000 })
        {
            return ControlEndpoints.Invalid("Send {\"milliseconds\": 0..600000}.");
        }

        emulator.Latency = TimeSpan.FromMilliseconds(body.Milliseconds.Value);
        return Stats(emulator);
    }

    /// <summary>Every event of the account, cancelled ones included, as one unpaged Google events list.</summary>
    private static IResult ListEvents(string email, GoogleCalendarEmulator emulator)
    {
        var calendar = emulator.Store.Read(GoogleEmulator.NormalizeEmail(email));
        var page = new EventPage(calendar.All(), Next: null);
        return CalendarResults.Json(EventRenderer.RenderList(calendar, page, responseZone: null, emulator.Time.GetUtcNow()), CalendarWireJson.Default.EventsResource);
    }

    /// <summary>Takes the body events.insert takes and answers what it answers, without a token or counting.</summary>
    private static Task<IResult> SeedAsync(HttpContext context, string email, GoogleCalendarEmulator emulator) =>
        EventsEndpoints.InsertBodyAsync(context, GoogleEmulator.NormalizeEmail(email), sendUpdates: null, emulator);

    private static async Task<IResult> TimeZoneAsync(HttpRequest request, string email, GoogleCalendarEmulator emulator)
    {
        var body = await ControlEndpoints.ReadAsync(request, CalendarControlJson.Default.TimeZoneRequest);
        if (body?.TimeZone is not { } zone || !CalendarTime.TryFindZone(zone, out _))
        {
            return ControlEndpoints.Invalid("Send {\"timeZone\": \"<IANA time zone, e.g. Europe/Berlin>\"}.");
        }

        emulator.SetTimeZone(email, zone);
        return Stats(emulator);
    }

    private static JsonHttpResult<GoogleCalendarStats> Stats(GoogleCalendarEmulator emulator) =>
        TypedResults.Json(emulator.GetStats(), CalendarControlJson.Default.GoogleCalendarStats);
}

internal sealed record CalendarFailNextRequest(int? Count, int? Status, string? Reason);

internal sealed record TimeZoneRequest(string? TimeZone);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(CalendarFailNextRequest))]
[JsonSerializable(typeof(TimeZoneRequest))]
[JsonSerializable(typeof(LatencyRequest))]
[JsonSerializable(typeof(GoogleCalendarStats))]
internal sealed partial class CalendarControlJson : JsonSerializerContext;
