using System.Text.Json;
using CalendarGrains.Calls;
using CalendarGrains.Vapi;

namespace CalendarGrains.Silo.Vapi;

/// <summary>A server message from Vapi about one of its calls, read for routing.</summary>
/// <param name="News">What it says, as the call grain takes it.</param>
/// <param name="OurCallId">Our call id from <c>call.assistantOverrides.metadata</c>, when the call carries it.</param>
public sealed record VapiServerMessage(VapiCallEvent News, string? OurCallId)
{
    /// <summary>
    /// <c>{"message":{"type":"status-update"|"end-of-call-report","call":{...},...}}</c>; null for any
    /// other message type (Vapi sends many: transcripts, tool calls, ...) or a call without an id.
    /// </summary>
    public static VapiServerMessage? Read(JsonElement root, string tenantId)
    {
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("message", out var message) || message.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        var type = VapiJson.Text(message, "type");
        if (type is not (VapiEventSources.StatusUpdate or VapiEventSources.EndOfCallReport) ||
            !message.TryGetProperty("call", out var callElement) || VapiJson.ReadCall(callElement) is not { } call)
        {
            return null;
        }

        var news = new VapiCallEvent(
            tenantId,
            call.Id,
            type,
            type == VapiEventSources.EndOfCallReport ? "ended" : VapiJson.Text(message, "status"),
            VapiJson.Text(message, "endedReason") ?? call.EndedReason,
            VapiJson.Time(message, "startedAt") ?? call.StartedAt,
            VapiJson.Time(message, "endedAt") ?? call.EndedAt,
            VapiJson.Number(message, "cost") ?? call.Cost);
        return new VapiServerMessage(news, call.OurCallId);
    }
}
