using System.Text.Json;
using CalendarGrains.Sandbox.Vapi.Accounts;
using CalendarGrains.Sandbox.Vapi.Calls;

namespace CalendarGrains.Sandbox.Vapi.Webhooks;

/// <summary>Where a call's server messages go, and how they authenticate.</summary>
internal sealed record ServerTarget(Uri Url, string? Secret, IReadOnlyList<KeyValuePair<string, string>> Headers, TimeSpan Timeout)
{
    /// <summary>Vapi's default <c>server.timeoutSeconds</c>.</summary>
    private static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(20);

    /// <summary>
    /// Vapi's precedence: <c>assistantOverrides.server</c>, then <c>assistant.server</c>, then the org's server URL.
    /// The legacy <c>X-Vapi-Secret</c> is the chosen server's <c>secret</c>, else the org's default secret.
    /// </summary>
    public static ServerTarget? Resolve(CreateCallRequest request, VapiAccount account)
    {
        foreach (var owner in (JsonElement?[])[request.AssistantOverrides, request.Assistant])
        {
            if (owner is { } o && o.TryGetProperty("server", out var server) && server.ValueKind == JsonValueKind.Object &&
                String(server, "url") is { } url && Uri.TryCreate(url, UriKind.Absolute, out var uri))
            {
                return new ServerTarget(uri, String(server, "secret") ?? account.ServerSecret, HeadersOf(server), TimeoutOf(server));
            }
        }

        return account.ServerUrl is { } orgUrl
            ? new ServerTarget(orgUrl, account.ServerSecret, [], DefaultTimeout)
            : null;
    }

    /// <summary>The URL without its query, which may carry secrets: what logs and the delivery record show.</summary>
    public string DisplayUrl => Url.GetLeftPart(UriPartial.Path);

    private static string? String(JsonElement owner, string name) =>
        owner.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static List<KeyValuePair<string, string>> HeadersOf(JsonElement server)
    {
        if (!server.TryGetProperty("headers", out var headers) || headers.ValueKind != JsonValueKind.Object)
        {
            return [];
        }

        return headers.EnumerateObject()
            .Where(header => header.Value.ValueKind is JsonValueKind.String or JsonValueKind.Number)
            .Select(header => KeyValuePair.Create(header.Name, header.Value.ToString()))
            .ToList();
    }

    private static TimeSpan TimeoutOf(JsonElement server) =>
        server.TryGetProperty("timeoutSeconds", out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out var seconds) && seconds > 0
            ? TimeSpan.FromSeconds(Math.Min(seconds, 300))
            : DefaultTimeout;
}
