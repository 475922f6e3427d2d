using System.Text.Json;

namespace CalendarGrains.Silo.Tools;

/// <summary>
/// Vapi's <c>tool-calls</c> server message, reduced to what the tools need: the calls, and the
/// connection the assistant acts for (the call's <c>assistantOverrides.variableValues.connectionId</c>,
/// or <c>...metadata.connectionId</c>).
/// </summary>
public sealed record ToolCallMessage(IReadOnlyList<ToolCall> Calls, string? ConnectionId)
{
    public static ToolCallMessage Read(JsonElement body)
    {
        if (body.ValueKind != JsonValueKind.Object || !body.TryGetProperty("message", out var message) || message.ValueKind != JsonValueKind.Object)
        {
            return new ToolCallMessage([], null);
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

        return new ToolCallMessage(calls, ConnectionIdOf(message));
    }

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

    private static string? ConnectionIdOf(JsonElement message)
    {
        if (!message.TryGetProperty("call", out var call) || call.ValueKind != JsonValueKind.Object
            || !call.TryGetProperty("assistantOverrides", out var overrides) || overrides.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        foreach (var holder in new[] { "variableValues", "metadata" })
        {
            if (overrides.TryGetProperty(holder, out var values) && values.ValueKind == JsonValueKind.Object
                && values.TryGetProperty("connectionId", out var id) && id.ValueKind == JsonValueKind.String && id.GetString() is { Length: > 0 } value)
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
