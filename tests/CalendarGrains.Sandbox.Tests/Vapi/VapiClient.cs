using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace CalendarGrains.Sandbox.Tests.Vapi;

/// <summary>Talks to the emulator the way our service talks to Vapi: a bearer key and JSON over real HTTP.</summary>
public sealed class VapiClient(HttpClient http, string prefix = "/vapi")
{
    public const string PhoneNumberId = "5b0a6f5e-2c39-4d0c-9d5e-2b8f1f0a7c11";
    public const string AssistantId = "8d7c2a4e-1f6b-4c2a-9e35-0a7d3b9c4f21";

    /// <summary>A body like the one our service sends: assistant, phone number, customer, correlation in the overrides.</summary>
    public static JsonObject CallBody(string number = "+15550100", string ourCallId = "call_01") => new()
    {
        ["assistantId"] = AssistantId,
        ["phoneNumberId"] = PhoneNumberId,
        ["customer"] = new JsonObject { ["number"] = number, ["name"] = "Ada Lovelace" },
        ["assistantOverrides"] = new JsonObject
        {
            ["variableValues"] = new JsonObject { ["connectionId"] = "conn_1", ["callId"] = ourCallId },
            ["metadata"] = new JsonObject { ["connectionId"] = "conn_1", ["callId"] = ourCallId },
            ["credentials"] = new JsonArray
            {
                new JsonObject
                {
                    ["provider"] = "google.calendar.oauth2-authorization",
                    ["authorizationId"] = "conn_1",
                    ["name"] = "Ada's calendar",
                },
            },
        },
    };

    public Task<HttpResponseMessage> CreateCallAsync(string? key, JsonNode body) =>
        SendAsync(HttpMethod.Post, "/call", key, JsonContent.Create(body));

    public Task<HttpResponseMessage> CreateCallRawAsync(string? key, string rawBody) =>
        SendAsync(HttpMethod.Post, "/call", key, new StringContent(rawBody, MediaTypeHeaderValue.Parse("application/json")));

    /// <summary>Creates a call and answers its id, failing the test unless Vapi answered 201.</summary>
    public async Task<JsonElement> CreateCallOkAsync(string key, JsonNode? body = null)
    {
        using var response = await CreateCallAsync(key, body ?? CallBody());
        var json = await ReadJsonAsync(response);
        Assert.True(response.StatusCode == System.Net.HttpStatusCode.Created, $"POST /call answered {(int)response.StatusCode}: {json}");
        return json;
    }

    public Task<HttpResponseMessage> GetCallAsync(string? key, string id) =>
        SendAsync(HttpMethod.Get, $"/call/{Uri.EscapeDataString(id)}", key);

    public Task<HttpResponseMessage> ListCallsAsync(string? key, string query = "") =>
        SendAsync(HttpMethod.Get, "/call" + query, key);

    public static async Task<JsonElement> ReadJsonAsync(HttpResponseMessage response) =>
        await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);

    private Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string? key, HttpContent? content = null)
    {
        var request = new HttpRequestMessage(method, prefix + path) { Content = content };
        if (key is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }

        return http.SendAsync(request, TestContext.Current.CancellationToken);
    }
}
