using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using CalendarGrains.Webhooks;

namespace CalendarGrains.Nango;

/// <summary>
/// Nango's <c>auth</c> webhook body (<c>NangoAuthWebhookBody</c> of <c>@nangohq/types</c> 0.71), made
/// from one of our connection events: <c>connection.created</c> is a successful <c>creation</c>,
/// <c>connection.reconnected</c> a successful <c>override</c>, <c>connection.needs_reauth</c> a failed
/// <c>refresh</c> with its <c>error</c>. Nango sends nothing for a deletion; neither do we.
/// </summary>
/// <remarks>
/// Written as Nango writes it (its <c>stringifyStable</c>): compact, members in alphabetical order at
/// every level, absent members left out, and text escaped no more than JavaScript's
/// <c>JSON.stringify</c> does, so a handler that checks the legacy <c>X-Nango-Signature</c> over
/// <c>JSON.stringify(JSON.parse(body))</c> computes the same bytes.
/// </remarks>
public static class NangoAuthWebhookPayload
{
    public const string ProviderConfigKey = "google-calendar";

    private static readonly JsonWriterOptions Writing = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Whether Nango has an <c>auth</c> webhook for this event type.</summary>
    public static bool Covers(string eventType) =>
        eventType is WebhookEventTypes.ConnectionCreated or WebhookEventTypes.ConnectionReconnected or WebhookEventTypes.ConnectionNeedsReauth;

    /// <param name="webhookEvent">One of our connection events (its <c>data</c> is the connection).</param>
    /// <param name="environment">The environment name the tenant's Nango handler expects (e.g. <c>prod</c>).</param>
    /// <returns>The body, or null for an event Nango would not send.</returns>
    public static byte[]? Build(WebhookEvent webhookEvent, string environment)
    {
        ArgumentNullException.ThrowIfNull(webhookEvent);
        var (operation, success) = webhookEvent.Type switch
        {
            WebhookEventTypes.ConnectionCreated => ("creation", true),
            WebhookEventTypes.ConnectionReconnected => ("override", true),
            WebhookEventTypes.ConnectionNeedsReauth => ("refresh", false),
            _ => (null, false),
        };
        if (operation is null)
        {
            return null;
        }

        using var data = JsonDocument.Parse(webhookEvent.DataJson);
        var connection = data.RootElement;
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var json = new Utf8JsonWriter(buffer, Writing))
        {
            json.WriteStartObject();
            json.WriteString("authMode", "OAUTH2");
            json.WriteString("connectionId", Text(connection, "id"));
            json.WriteStartObject("endUser");
            WriteStringOrNull(json, "endUserEmail", Text(connection, "accountEmail"));
            json.WriteString("endUserId", Text(connection, "endUserId"));
            json.WriteStartObject("tags");
            json.WriteEndObject();
            json.WriteEndObject();
            json.WriteString("environment", environment);
            if (!success)
            {
                var lastError = connection.TryGetProperty("lastError", out var error) && error.ValueKind == JsonValueKind.Object ? error : default;
                json.WriteStartObject("error");
                json.WriteString("description", (lastError.ValueKind == JsonValueKind.Object ? Text(lastError, "message") : null)
                    ?? "The refresh token is no longer valid; the end user must connect again.");
                json.WriteString("type", (lastError.ValueKind == JsonValueKind.Object ? Text(lastError, "code") : null) ?? "refresh_token_external_error");
                json.WriteEndObject();
            }

            json.WriteString("from", "nango");
            json.WriteString("operation", operation);
            json.WriteString("provider", ProviderConfigKey);
            json.WriteString("providerConfigKey", ProviderConfigKey);
            json.WriteBoolean("success", success);
            json.WriteString("type", "auth");
            json.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static void WriteStringOrNull(Utf8JsonWriter json, string name, string? value)
    {
        if (value is null)
        {
            json.WriteNull(name);
        }
        else
        {
            json.WriteString(name, value);
        }
    }
}
