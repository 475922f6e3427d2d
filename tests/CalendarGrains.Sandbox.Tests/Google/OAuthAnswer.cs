using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace CalendarGrains.Sandbox.Tests.Google;

/// <summary>An emulator answer read as raw JSON, so tests check Google's wire names, not our records.</summary>
public sealed record OAuthAnswer(HttpStatusCode Status, string? MediaType, JsonElement Body, HttpResponseHeaders Headers)
{
    public string? Error => Text("error");

    public string? ErrorDescription => Text("error_description");

    public string AccessToken => Text("access_token") ?? throw new InvalidOperationException($"No access_token in {Body}");

    public string? RefreshToken => Text("refresh_token");

    public string? Text(string name) =>
        Body.ValueKind == JsonValueKind.Object && Body.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;

    public static async Task<OAuthAnswer> ReadAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        var body = text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
        return new OAuthAnswer(response.StatusCode, response.Content.Headers.ContentType?.MediaType, body, response.Headers);
    }
}
