using System.Text.Json.Nodes;

namespace CalendarGrains.Silo.Tools;

/// <summary>
/// Vapi function-tool definitions (CreateFunctionToolDto) for the calendar tools, ready to create
/// at Vapi as they are: JSON-schema parameters an LLM fills well, and a server that is this
/// service with the tenant's secret header.
/// </summary>
public static class ToolDefinitions
{
    private const string DateTimeHint = "ISO 8601 in the caller's time zone: a date-time such as 2026-11-25T14:00:00 (an offset like +01:00 or Z is also fine), or a date alone such as 2026-11-25.";
    private const string ZoneHint = "The caller's IANA time zone, e.g. America/New_York or Europe/Berlin. Leave out to use the call's or the calendar's.";

    public static JsonArray For(string toolCallsUrl, string serverSecret) =>
    [
        Tool(CalendarTools.CheckAvailability,
            "Finds free time in the user's Google Calendar between two moments, within the user's working hours, for a meeting of the given length; when nothing is free it names the next free times. Use before proposing or booking a time.",
            new JsonObject
            {
                ["start"] = Text($"Start of the range to search. {DateTimeHint} A date alone means from the start of that day."),
                ["end"] = Text($"End of the range to search. {DateTimeHint} A date alone means to the end of that day, so start and end the same date is that whole day."),
                ["timeZone"] = Text(ZoneHint),
                ["durationMinutes"] = Number("Length of the meeting in minutes (5 to 480); free windows shorter than this are left out.", 30),
                ["calendarId"] = Text("The calendar to check; primary is the user's own.", "primary"),
            },
            ["start", "end"], toolCallsUrl, serverSecret, "Let me check the calendar."),
        Tool(CalendarTools.ListEvents,
            "Lists the events in the user's Google Calendar between two moments, in start order.",
            new JsonObject
            {
                ["start"] = Text($"Start of the range. {DateTimeHint} A date alone means from the start of that day."),
                ["end"] = Text($"End of the range. {DateTimeHint} A date alone means to the end of that day."),
                ["timeZone"] = Text(ZoneHint),
                ["maxResults"] = Number("At most this many events (1 to 20).", 10),
                ["calendarId"] = Text("The calendar to read; primary is the user's own.", "primary"),
            },
            ["start", "end"], toolCallsUrl, serverSecret, "Let me look at the calendar."),
        Tool(CalendarTools.CreateEvent,
            "Books an event in the user's Google Calendar and invites the attendees by email. Confirm the time with the caller first.",
            new JsonObject
            {
                ["summary"] = Text("Title of the event, e.g. 'Call with Dana about the renewal'."),
                ["start"] = Text($"When it starts. {DateTimeHint} A date alone books an all-day event."),
                ["end"] = Text($"When it ends. {DateTimeHint} Leave out to use durationMinutes; for an all-day event, the last day."),
                ["durationMinutes"] = Number("Length in minutes when end is not given (5 to 480).", 30),
                ["timeZone"] = Text(ZoneHint),
                ["attendees"] = new JsonObject { ["type"] = "array", ["description"] = "Email addresses to invite.", ["items"] = new JsonObject { ["type"] = "string", ["format"] = "email" } },
                ["description"] = Text("Optional notes for the event."),
                ["location"] = Text("Optional place or meeting link."),
                ["calendarId"] = Text("The calendar to book in; primary is the user's own.", "primary"),
            },
            ["summary", "start"], toolCallsUrl, serverSecret, "One moment, I'm booking that."),
        Tool(CalendarTools.UpdateEvent,
            "Moves an existing event in the user's Google Calendar to a new time. Identify the event by when it starts now and/or words of its title; if several match, the answer lists them so you can ask which. Only events this caller booked (or that the platform allows) can be moved. Confirm the new time with the caller first.",
            new JsonObject
            {
                ["eventStart"] = Text($"When the event starts now. {DateTimeHint} A date alone means any time that day."),
                ["summary"] = Text("Words of the event's title, e.g. 'dentist'."),
                ["newStart"] = Text($"The new start. {DateTimeHint} A date alone keeps the event's time of day."),
                ["newEnd"] = Text($"The new end. {DateTimeHint} Leave out to keep the event's length."),
                ["durationMinutes"] = Number("A new length in minutes, when newEnd is not given (5 to 480).", 30),
                ["timeZone"] = Text(ZoneHint),
                ["calendarId"] = Text("The calendar the event is in; primary is the user's own.", "primary"),
            },
            ["newStart"], toolCallsUrl, serverSecret, "One moment, I'm moving that."),
        Tool(CalendarTools.CancelEvent,
            "Cancels (deletes) an existing event in the user's Google Calendar; its guests are told. Identify the event by when it starts and/or words of its title; if several match, the answer lists them so you can ask which. Only events this caller booked (or that the platform allows) can be cancelled. Confirm with the caller first.",
            new JsonObject
            {
                ["eventStart"] = Text($"When the event starts. {DateTimeHint} A date alone means any time that day."),
                ["summary"] = Text("Words of the event's title, e.g. 'dentist'."),
                ["timeZone"] = Text(ZoneHint),
                ["calendarId"] = Text("The calendar the event is in; primary is the user's own.", "primary"),
            },
            [], toolCallsUrl, serverSecret, "One moment, I'm cancelling that."),
    ];

    private static JsonObject Tool(string name, string description, JsonObject properties, string[] required, string url, string secret, string waitMessage) => new()
    {
        ["type"] = "function",
        ["function"] = new JsonObject
        {
            ["name"] = name,
            ["description"] = description,
            ["parameters"] = new JsonObject
            {
                ["type"] = "object",
                ["properties"] = properties,
                ["required"] = new JsonArray([.. required.Select(r => (JsonNode)r)]),
            },
        },
        ["server"] = new JsonObject
        {
            ["url"] = url,
            ["timeoutSeconds"] = 20,
            ["headers"] = new JsonObject { [Vapi.VapiServerSecret.Header] = secret },
        },
        ["messages"] = new JsonArray(new JsonObject { ["type"] = "request-start", ["content"] = waitMessage }),
    };

    private static JsonObject Text(string description, string? fallback = null)
    {
        var schema = new JsonObject { ["type"] = "string", ["description"] = description };
        if (fallback is not null)
        {
            schema["default"] = fallback;
        }

        return schema;
    }

    private static JsonObject Number(string description, int fallback) =>
        new() { ["type"] = "integer", ["description"] = description, ["default"] = fallback };
}
