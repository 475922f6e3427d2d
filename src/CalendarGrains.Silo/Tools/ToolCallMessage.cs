using System.Text.Json;

namespace CalendarGrains.Silo.Tools;

/// <summary>
/// Vapi's <c>tool-calls</c> server message, reduced to what the tools need: the calls, and the
/// connection the assistant acts for (the call's <c>assistantOverrides.variableValues.connectionId</c>,
/// or <c>...metadata.connectionId</c>), the call's default time zone (<c>timeZone</c> in the same
/// places, or in the assistant's <c>metadata</c>), who is on the line, and the number an inbound
/// call came in on (to find the connection when the call carries none).
/// </summary>
public sealed record ToolCallMessage(IReadOnlyList<ToolCall> Calls, string? ConnectionId)
{
    public static ToolCallMessage Empty { get; } = new([], null);

    /// <summary><c>timeZone</c> from the call's variableValues or metadata, or the assistant's metadata.</summary>
    public string? DefaultTimeZone { get; init; }

    /// <summary>The customer's number (E.164) on this call: who booked, for <c>update_event</c>'s and <c>cancel_event</c>'s scope.</summary>
    public string? CallerNumber { get; init; }

    /// <summary>The customer's email, when the call has one.</summary>
    public string? CallerEmail { get; init; }

    /// <summary>Vapi's id of the phone number the call is on (an inbound call's line).</summary>
    public string? PhoneNumberId { get; init; }

    /// <summary>The digits of that phone number, when the message carries them.</summary>
    public string? PhoneNumber { get; init; }

    public static ToolCallMessage Read(JsonElement body)
    {
        if (body.ValueKind != JsonValueKind.Object || !body.TryGetProperty("message", out var message) || message.ValueKind != JsonValueKind.Object)
        {
            return Empty;
        }

        var calls = new List<ToolCall>();
        if (message.TryGetProperty("toolCallList", out var list) && list.ValueKind == JsonValueKind.Array)
        {
            calls.AddRange(list.EnumerateArray().Select(ReadCall).OfType<ToolCall>());
        }

        // Newer messages also (or only) carry toolWithToolCallList[].toolCall.
        if (calls.Count == 0 && message.TryGetProperty("toolWithToolCallList", out var withList) && withList.ValueKind == JsonValueKind.Array)
        {
            calls.AddRange(withList.EnumerateArray()
                .Select(item => item.ValueKind == JsonValueKind.Object && item.TryGetProperty("toolCall", out var call) ? ReadCall(call) : null)
                .OfType<ToolCall>());
        }

        var call = Member(message, "call");
        var customer = Member(message, "customer") ?? (call is { } c ? Member(c, "customer") : null);
        var phoneNumber = Member(message, "phoneNumber") ?? (call is { } p ? Member(p, "phoneNumber") : null);
        return new ToolCallMessage(calls, ValueOf(message, "connectionId"))
        {
            DefaultTimeZone = ValueOf(message, "timeZone") ?? (Member(message, "assistant") is { } assistant && Member(assistant, "metadata") is { } metadata ? Text(metadata, "timeZone") : null),
            CallerNumber = customer is { } who ? Text(who, "number") : null,
            CallerEmail = customer is { } whom ? Text(whom, "email") : null,
            PhoneNumberId = call is { } line ? Text(line, "phoneNumberId") : null,
            PhoneNumber = phoneNumber is { } number ? Text(number, "number") : null,
        };
    }

    private static JsonElement? Member(JsonElement owner, string name) =>
        owner.ValueKind == JsonValueKind.Object && owner.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Object ? value : null;

    private static string? Text(JsonElement owner, string name) =>
        owner.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } text ? text : null;

    private static ToolCall? ReadCall(JsonElement call)
    {
        if (call.ValueKind != JsonValueKind.Object
            || !call.TryGetProperty("id", out var id) || id.ValueKind != JsonValueKind.String
            || !call.TryGetProperty("function", out var function) || function.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        var name = function.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString()! : "";
        var arguments = function.TryGetProperty("arguments", out var a) ? a.Clone() : default;
        return new ToolCall(id.GetString()!, name, arguments);
    }

    /// <summary>A member of the call's <c>assistantOverrides.variableValues</c>, else of its <c>...metadata</c>.</summary>
    private static string? ValueOf(JsonElement message, string name)
    {
        if (!message.TryGetProperty("call", out var call) || call.ValueKind != JsonValueKind.Object
            || !call.TryGetProperty("assistantOverrides", out var overrides) || overrides.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        foreach (var holder in new[] { "variableValues", "metadata" })
        {
            if (overrides.TryGetProperty(holder, out var values) && values.ValueKind == JsonValueKind.Object
                && values.TryGetProperty(name, out var id) && id.ValueKind == JsonValueKind.String && id.GetString() is { Length: > 0 } value)
            {
                return value;
            }
        }

        return null;
    }
}

/// <summary>One function call: its id (echoed in the result), the tool's name and its raw arguments.</summary>
public sealed record ToolCall(string Id, string Name, JsonElement Arguments);

/// <summary>One entry of the answer: a <c>result</c> or an <c>error</c>, single-line.</summary>
public sealed record ToolCallResult(
    string ToolCallId,
    string Name,
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)] string? Result,
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)] string? Error)
{
    public static ToolCallResult Ok(ToolCall call, string result) => new(call.Id, call.Name, Spoken.Line(result), null);

    public static ToolCallResult Failed(ToolCall call, string error) => new(call.Id, call.Name, null, Spoken.Line(error));
}

public sealed record ToolCallsResponse(IReadOnlyList<ToolCallResult> Results);
