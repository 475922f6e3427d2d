using System.Globalization;
using System.Text.Json;

namespace CalendarGrains.Vapi;

/// <summary>Reads Vapi's JSON leniently: a member of an unexpected type counts as absent.</summary>
public static class VapiJson
{
    /// <summary>A Call object (from <c>POST /call</c>, <c>GET /call</c> or a server message's <c>call</c>); null without an id.</summary>
    public static VapiCallInfo? ReadCall(JsonElement call)
    {
        if (call.ValueKind != JsonValueKind.Object || Text(call, "id") is not { Length: > 0 } id)
        {
            return null;
        }

        var blocked = call.TryGetProperty("subscriptionLimits", out var limits) && limits.ValueKind == JsonValueKind.Object &&
            limits.TryGetProperty("concurrencyBlocked", out var flag) && flag.ValueKind == JsonValueKind.True;
        return new VapiCallInfo(
            id,
            Text(call, "status"),
            Text(call, "endedReason"),
            Time(call, "createdAt"),
            Time(call, "startedAt"),
            Time(call, "endedAt"),
            Number(call, "cost"),
            OurCallId(call),
            blocked);
    }

    /// <summary>Our call id, from <c>assistantOverrides.metadata.callId</c> (where the dispatcher put it).</summary>
    public static string? OurCallId(JsonElement call) =>
        call.TryGetProperty("assistantOverrides", out var overrides) && overrides.ValueKind == JsonValueKind.Object &&
        overrides.TryGetProperty("metadata", out var metadata) && metadata.ValueKind == JsonValueKind.Object
            ? Text(metadata, VapiCallRequest.CallIdVariable)
            : null;

    public static string? Text(JsonElement owner, string name) =>
        owner.ValueKind == JsonValueKind.Object && owner.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;

    public static double? Number(JsonElement owner, string name) =>
        owner.ValueKind == JsonValueKind.Object && owner.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out var number)
            ? number
            : null;

    public static DateTimeOffset? Time(JsonElement owner, string name) =>
        Text(owner, name) is { } text && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time)
            ? time.ToUniversalTime()
            : null;

    /// <summary>Vapi's error <c>message</c>: a string, or an array of strings (validation).</summary>
    public static string ErrorMessage(string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("message", out var message))
            {
                return message.ValueKind switch
                {
                    JsonValueKind.String => message.GetString() ?? "",
                    JsonValueKind.Array => string.Join("; ", message.EnumerateArray().Select(item => item.ToString())),
                    _ => message.ToString(),
                };
            }
        }
        catch (JsonException)
        {
            // Not Vapi's JSON shape (e.g. a proxy's HTML page): fall through to the raw text.
        }

        return body.Length <= 300 ? body : body[..300];
    }

    /// <summary>ISO 8601 the way Vapi's query validator and its own <c>toISOString()</c> write it.</summary>
    public static string Iso(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}
