using System.Buffers;
using System.Text.Json;

namespace CalendarGrains.Webhooks;

/// <summary>The body of a delivery: <c>{"type":...,"timestamp":...,"data":&lt;DataJson verbatim&gt;}</c>.</summary>
public static class WebhookPayload
{
    public static byte[] Serialize(WebhookEvent webhookEvent)
    {
        ArgumentNullException.ThrowIfNull(webhookEvent);
        var buffer = new ArrayBufferWriter<byte>(webhookEvent.DataJson.Length + 128);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("type", webhookEvent.Type);
            // A UTC DateTime is written as ISO 8601 with a Z (e.g. 2026-11-24T09:00:00Z).
            writer.WriteString("timestamp", webhookEvent.Timestamp.UtcDateTime);
            writer.WritePropertyName("data");
            // Verbatim: the producer's bytes are what the tenant gets (and what is signed).
            writer.WriteRawValue(webhookEvent.DataJson, skipInputValidation: true);
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Why the event cannot be sent, or null: checked when it is enqueued, so a bad producer fails at once.</summary>
    public static string? Problem(WebhookEvent? webhookEvent)
    {
        if (webhookEvent is null)
        {
            return "The event is null.";
        }

        if (!IsHeaderToken(webhookEvent.Id, 256))
        {
            return "The event id must be 1 to 256 visible ASCII characters (it is the webhook-id header).";
        }

        if (!IsHeaderToken(webhookEvent.Type, 128))
        {
            return "The event type must be 1 to 128 visible ASCII characters.";
        }

        try
        {
            using var data = JsonDocument.Parse(webhookEvent.DataJson ?? "");
            return data.RootElement.ValueKind == JsonValueKind.Object ? null : "The event data must be a JSON object.";
        }
        catch (JsonException)
        {
            return "The event data is not valid JSON.";
        }
    }

    private static bool IsHeaderToken(string? value, int maxLength) =>
        !string.IsNullOrEmpty(value) && value.Length <= maxLength && value.All(c => c is > ' ' and < '\u007f');
}
