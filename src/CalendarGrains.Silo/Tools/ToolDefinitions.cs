using System.Text.Json.Nodes;

namespace CalendarGrains.Silo.Tools;

/// <summary>
/// Vapi function-tool definitions (CreateFunctionToolDto) for the calendar tools, ready to create
/// at Vapi as they are: JSON-schema parameters an LLM fills well, and a server that is this
/// service with the tenant's secret header.
/// </summary>
public static class ToolDefinitions
{
    private const string DateTimeHint = "ISO 8601 date-time in the caller's time zone, e.g. 2026-11-25T14:00:00 (an offset like +01:00 is also fine).";

    public static JsonArray For(string toolCallsUrl, string serverSecret) =>
    [
        Tool(CalendarTools.CheckAvailability,
            "Finds free time in the user's Google Calendar between two moments, within working hours, for a meeting of the given length. Use before proposing or booking a time.",
            new JsonObject
            {
                ["start"] = Text($"Start of the range to search. {DateTimeHint} A date alone (2026-11-25) means the whole day."),
                ["end"] = Text($"End of the range to search. {DateTimeHint}"),
                ["timeZone"] = Text("The caller's IANA time zone, e.g. America/New_York or Europe/Berlin."),
                ["durationMinutes"] = Number("Length of the meeting in minutes; free windows shorter than this are left out.", 30),
                ["workingHoursStart"] = Text("Earliest time of day to offer, HH:mm (default 09:00)."),
                ["workingHoursEnd"] = Text("Latest time of day to offer, HH:mm (default 17:00)."),
                ["calendarId"] = Text("The calendar to check; primary is the user's own.", "primary"),
            },
            ["start", "end", "timeZone"], toolCallsUrl, serverSecret, "Let me check the calendar."),
        Tool(CalendarTools.CreateEvent,
            "Books an event in the user's Google Calendar and invites the attendees by email. Confirm the time with the caller first.",
            new JsonObject
            {
                ["summary"] = Text("Title of the event, e.g. 'Call with Dana about the renewal'."),
                ["start"] = Text($"When it starts. {DateTimeHint}"),
                ["end"] = Text($"When it ends. {DateTimeHint} Leave out to use durationMinutes."),
                ["durationMinutes"] = Number("Length in minutes when end is not given.", 30),
                ["timeZone"] = Text("The caller's IANA time zone, e.g. America/New_York."),
                ["attendees"] = new JsonObject { ["type"] = "array", ["description"] = "Email addresses to invite.", ["items"] = new JsonObject { ["type"] = "string", ["format"] = "email" } },
                ["description"] = Text("Optional notes for the event."),
                ["location"] = Text("Optional place or meeting link."),
                ["calendarId"] = Text("The calendar to book in; primary is the user's own.", "primary"),
            },
            ["summary", "start", "timeZone"], toolCallsUrl, serverSecret, "One moment, I'm booking that."),
        Tool(CalendarTools.ListEvents,
            "Lists the events in the user's Google Calendar between two moments, in start order.",
            new JsonObject
            {
                ["start"] = Text($"Start of the range. {DateTimeHint} A date alone means the whole day."),
                ["end"] = Text($"End of the range. {DateTimeHint}"),
                ["timeZone"] = Text("The caller's IANA time zone, e.g. America/New_York."),
                ["maxResults"] = Number("At most this many events (1 to 20).", 10),
                ["calendarId"] = Text("The calendar to read; primary is the user's own.", "primary"),
            },
            ["start", "end", "timeZone"], toolCallsUrl, serverSecret, "Let me look at the calendar."),
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
