using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace CalendarGrains.NangoImport;

/// <summary>A connection as Nango lists it (<c>GET /connections</c>).</summary>
public sealed record NangoListedConnection(string ConnectionId, string ProviderConfigKey, string? EndUserId, JsonObject? Metadata);

/// <summary>A connection's OAuth 2.0 credentials as Nango hands them out. Never printed.</summary>
public sealed record NangoCredentials(string? RefreshToken, string? AccessToken, DateTimeOffset? ExpiresAt, IReadOnlyList<string> Scopes)
{
    public override string ToString() => $"NangoCredentials(expires {ExpiresAt:O})";
}

/// <summary>Either the value or why Nango would not give it (status, Nango's error code and message).</summary>
public sealed record NangoAnswer<T>(T? Value, string? Failure);

/// <summary>Reads a running Nango over its public API, as <c>@nangohq/node</c> would.</summary>
public sealed class NangoSource(HttpClient http, Uri baseUrl, string secretKey)
{
    /// <summary>
    /// Every connection of the integration, page by page (<c>limit</c>/<c>page</c>, newest first),
    /// each id once (a connection created meanwhile shifts later pages; the repeat is dropped).
    /// </summary>
    public async Task<IReadOnlyList<NangoListedConnection>> ListAsync(string integration, int pageSize, CancellationToken cancellationToken)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var all = new List<NangoListedConnection>();
        for (var page = 0; ; page++)
        {
            var url = $"connections?integrationId={Uri.EscapeDataString(integration)}&limit={pageSize}&page={page}";
            using var response = await http.SendAsync(Request(HttpMethod.Get, url), cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                throw new NangoUnavailableException($"Nango answered {(int)response.StatusCode} to GET /connections: {await ErrorText.OfAsync(response, cancellationToken)}");
            }

            var body = await response.Content.ReadFromJsonAsync<JsonObject>(cancellationToken);
            var items = body?["connections"] as JsonArray ?? throw new NangoUnavailableException("Nango's GET /connections answer has no connections array.");
            foreach (var item in items.OfType<JsonObject>())
            {
                var id = item["connection_id"]?.GetValue<string>();
                var key = item["provider_config_key"]?.GetValue<string>();
                if (id is not null && key == integration && seen.Add(id))
                {
                    all.Add(new NangoListedConnection(id, key, (item["end_user"] as JsonObject)?["id"]?.GetValue<string>(), item["metadata"] as JsonObject));
                }
            }

            if (items.Count < pageSize)
            {
                return all;
            }
        }
    }

    /// <summary><c>GET /connection/{id}?refresh_token=true</c>: the credentials, refresh token included.</summary>
    public async Task<NangoAnswer<NangoCredentials>> GetCredentialsAsync(string integration, string connectionId, CancellationToken cancellationToken)
    {
        var url = $"connection/{Uri.EscapeDataString(connectionId)}?provider_config_key={Uri.EscapeDataString(integration)}&refresh_token=true";
        using var response = await http.SendAsync(Request(HttpMethod.Get, url), cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            return new(null, $"Nango answered {(int)response.StatusCode}: {await ErrorText.OfAsync(response, cancellationToken)}");
        }

        var credentials = (await response.Content.ReadFromJsonAsync<JsonObject>(cancellationToken))?["credentials"] as JsonObject;
        if (credentials?["type"]?.GetValue<string>() != "OAUTH2")
        {
            return new(null, $"Nango holds {credentials?["type"]?.GetValue<string>() ?? "no"} credentials, not OAUTH2.");
        }

        var raw = credentials["raw"] as JsonObject;
        var scope = raw?["scope"] is JsonValue value && value.TryGetValue<string>(out var text) ? text : "";
        var expiresAt = credentials["expires_at"] is JsonValue expires && expires.TryGetValue<string>(out var at)
            && DateTimeOffset.TryParse(at, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed) ? parsed : (DateTimeOffset?)null;
        return new(new NangoCredentials(
            credentials["refresh_token"]?.GetValue<string>() ?? raw?["refresh_token"]?.GetValue<string>(),
            credentials["access_token"]?.GetValue<string>(),
            expiresAt,
            scope.Split(' ', StringSplitOptions.RemoveEmptyEntries)), null);
    }

    private HttpRequestMessage Request(HttpMethod method, string relative)
    {
        var request = new HttpRequestMessage(method, new Uri(baseUrl, relative));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", secretKey);
        return request;
    }
}

public sealed class NangoUnavailableException(string message) : Exception(message);

/// <summary>A short, token-free description of an error answer: its code and message, never the raw body.</summary>
internal static class ErrorText
{
    public static async Task<string> OfAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            var body = await response.Content.ReadFromJsonAsync<JsonObject>(cancellationToken);
            var error = body?["error"] as JsonObject ?? body; // Nango: {"error":{"code","message"}}; ours: problem+json.
            var code = Text(error?["code"]) ?? Text(body?["code"]) ?? response.ReasonPhrase ?? "error";
            var message = Text(error?["message"]) ?? Text(body?["detail"]) ?? Text(body?["title"]);
            var text = message is null ? code : $"{code}: {message}";
            return text.Length > 300 ? text[..300] + "…" : text;
        }
        catch (Exception e) when (e is JsonException or NotSupportedException or InvalidOperationException)
        {
            return response.ReasonPhrase ?? "error";
        }
    }

    private static string? Text(JsonNode? node) => node is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;
}
