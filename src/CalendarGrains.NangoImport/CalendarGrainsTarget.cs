using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace CalendarGrains.NangoImport;

/// <summary>A connection as CalendarGrains shows it (no tokens).</summary>
public sealed record TargetConnection(string Id, string EndUserId, string Status, JsonObject Metadata);

public enum TargetImportResult
{
    Created,
    Reconnected,
    Failed,
}

/// <summary>CalendarGrains' own connection API (<c>/v1/connections</c>) with a tenant key.</summary>
public sealed class CalendarGrainsTarget(HttpClient http, Uri baseUrl, string apiKey)
{
    /// <summary>Fails fast when the service cannot be reached or refuses the key, instead of failing every connection.</summary>
    public async Task EnsureUsableAsync(CancellationToken cancellationToken)
    {
        using var response = await http.SendAsync(Request(HttpMethod.Get, "v1/connections?limit=1"), cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new TargetUnavailableException($"CalendarGrains answered {(int)response.StatusCode} to GET /v1/connections: {await ErrorText.OfAsync(response, cancellationToken)}");
        }
    }

    /// <summary>The connection, null when this tenant has none with that id, or a failure.</summary>
    public async Task<(TargetConnection? Connection, string? Failure)> GetAsync(string connectionId, CancellationToken cancellationToken)
    {
        using var response = await http.SendAsync(Request(HttpMethod.Get, $"v1/connections/{Uri.EscapeDataString(connectionId)}"), cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return (null, null);
        }

        if (!response.IsSuccessStatusCode)
        {
            return (null, $"CalendarGrains answered {(int)response.StatusCode}: {await ErrorText.OfAsync(response, cancellationToken)}");
        }

        var body = (await response.Content.ReadFromJsonAsync<JsonObject>(cancellationToken))!;
        return (new TargetConnection(
            body["id"]!.GetValue<string>(),
            body["endUserId"]!.GetValue<string>(),
            body["status"]!.GetValue<string>(),
            body["metadata"] as JsonObject ?? []), null);
    }

    /// <summary><c>POST /v1/connections</c> with the connection's own id; validated by one refresh unless told not to.</summary>
    public async Task<(TargetImportResult Result, string? Failure)> ImportAsync(
        string connectionId, string endUserId, NangoCredentials credentials, JsonObject? metadata, bool validate, CancellationToken cancellationToken)
    {
        var request = Request(HttpMethod.Post, $"v1/connections?validate={(validate ? "true" : "false")}");
        request.Content = JsonContent.Create(new JsonObject
        {
            ["id"] = connectionId,
            ["endUserId"] = endUserId,
            ["refreshToken"] = credentials.RefreshToken,
            ["accessToken"] = credentials.AccessToken,
            ["expiresAt"] = credentials.ExpiresAt?.ToString("O", System.Globalization.CultureInfo.InvariantCulture),
            ["scopes"] = new JsonArray([.. credentials.Scopes.Select(scope => JsonValue.Create(scope))]),
            ["metadata"] = metadata?.DeepClone(),
        });
        using var response = await http.SendAsync(request, cancellationToken);
        return response.StatusCode switch
        {
            HttpStatusCode.Created => (TargetImportResult.Created, null),
            HttpStatusCode.OK => (TargetImportResult.Reconnected, null),
            _ => (TargetImportResult.Failed, $"CalendarGrains answered {(int)response.StatusCode}: {await ErrorText.OfAsync(response, cancellationToken)}"),
        };
    }

    /// <summary><c>PATCH /v1/connections/{id}</c>: replaces the metadata.</summary>
    public async Task<string?> ReplaceMetadataAsync(string connectionId, JsonObject metadata, CancellationToken cancellationToken)
    {
        var request = Request(HttpMethod.Patch, $"v1/connections/{Uri.EscapeDataString(connectionId)}");
        request.Content = JsonContent.Create(new JsonObject { ["metadata"] = metadata.DeepClone() });
        using var response = await http.SendAsync(request, cancellationToken);
        return response.IsSuccessStatusCode ? null : $"CalendarGrains answered {(int)response.StatusCode}: {await ErrorText.OfAsync(response, cancellationToken)}";
    }

    private HttpRequestMessage Request(HttpMethod method, string relative)
    {
        var request = new HttpRequestMessage(method, new Uri(baseUrl, relative));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        return request;
    }
}

public sealed class TargetUnavailableException(string message) : Exception(message);
