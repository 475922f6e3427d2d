using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using CalendarGrains.Tests.Connections;

namespace CalendarGrains.Tests.Tools;

/// <summary>Vapi <c>tool-calls</c> server messages, posted as Vapi posts them.</summary>
public static class ToolMessages
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A tool-calls message for a call made with this connection (by this customer, when given).</summary>
    public static JsonObject Message(string connectionId, params (string Id, string Name, object Arguments)[] calls) =>
        Message(connectionId, customerNumber: null, calls);

    public static JsonObject Message(string? connectionId, string? customerNumber, params (string Id, string Name, object Arguments)[] calls)
    {
        var call = new JsonObject { ["id"] = "vapi-call-" + Guid.NewGuid().ToString("N") };
        if (connectionId is not null)
        {
            call["assistantOverrides"] = new JsonObject { ["variableValues"] = new JsonObject { ["connectionId"] = connectionId } };
        }

        if (customerNumber is not null)
        {
            call["customer"] = new JsonObject { ["number"] = customerNumber };
        }

        return new JsonObject
        {
            ["message"] = new JsonObject
            {
                ["type"] = "tool-calls",
                ["timestamp"] = 1764000000000,
                ["toolCallList"] = new JsonArray([.. calls.Select(c => (JsonNode)new JsonObject
                {
                    ["id"] = c.Id,
                    ["type"] = "function",
                    ["function"] = new JsonObject { ["name"] = c.Name, ["arguments"] = JsonSerializer.SerializeToNode(c.Arguments) },
                })]),
                ["call"] = call,
            },
        };
    }

    public static async Task<HttpResponseMessage> PostAsync(ConnectionKit kit, JsonObject message)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/v1/vapi/tool-calls/{kit.Tenant.Id}") { Content = JsonContent.Create(message) };
        request.Headers.Add("X-Vapi-Secret", kit.Tenant.VapiServerSecret);
        return await kit.Host.Http.SendAsync(request, Ct);
    }

    public static async Task<IReadOnlyList<JsonElement>> ResultsAsync(ConnectionKit kit, JsonObject message)
    {
        var response = await PostAsync(kit, message);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return [.. (await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("results").EnumerateArray().Select(r => r.Clone())];
    }

    public static async Task<JsonElement> SingleAsync(ConnectionKit kit, string connectionId, string tool, object arguments, string? customerNumber = null, string id = "t1") =>
        (await ResultsAsync(kit, Message(connectionId, customerNumber, (id, tool, arguments))))[0];

    /// <summary>The result sentence; fails with the error when there is one.</summary>
    public static string Said(JsonElement result) =>
        result.TryGetProperty("result", out var said) ? said.GetString()! : throw new Xunit.Sdk.XunitException($"expected a result, got {result}");

    public static string Error(JsonElement result) =>
        result.TryGetProperty("error", out var error) ? error.GetString()! : throw new Xunit.Sdk.XunitException($"expected an error, got {result}");
}
