using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using CalendarGrains.Sandbox.Vapi.Wire;

namespace CalendarGrains.Sandbox.Tests.Vapi;

/// <summary><c>GET /call/{id}</c> and <c>GET /call</c> (time filters: <see cref="VapiClockTests"/>).</summary>
public sealed class VapiQueryTests : IClassFixture<VapiFixture>
{
    private readonly VapiFixture _vapi;

    public VapiQueryTests(VapiFixture vapi)
    {
        _vapi = vapi;
        vapi.StartTest();
    }

    [Fact]
    public async Task GetCall_AnswersTheCallWithoutSubscriptionLimits()
    {
        var created = await _vapi.Client.CreateCallOkAsync(VapiFixture.Key);
        var id = created.GetProperty("id").GetString()!;

        using var response = await _vapi.Client.GetCallAsync(VapiFixture.Key, id);

        var call = await VapiClient.ReadJsonAsync(response);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(id, call.GetProperty("id").GetString());
        Assert.Equal(CallStatuses.Queued, call.GetProperty("status").GetString());
        JsonAssert.Same(JsonNode.Parse(created.GetProperty("assistantOverrides").GetRawText()), call.GetProperty("assistantOverrides"));
        Assert.False(call.TryGetProperty("subscriptionLimits", out _));
    }

    [Fact]
    public async Task GetCall_AfterItEnded_CarriesTheReport()
    {
        var id = (await _vapi.Client.CreateCallOkAsync(VapiFixture.Key)).GetProperty("id").GetString()!;
        await _vapi.Vapi.CompleteAsync(id, CalendarGrains.Sandbox.Vapi.VapiCallOutcome.Completed, TestContext.Current.CancellationToken);

        using var response = await _vapi.Client.GetCallAsync(VapiFixture.Key, id);

        var call = await VapiClient.ReadJsonAsync(response);
        Assert.Equal(CallStatuses.Ended, call.GetProperty("status").GetString());
        Assert.Equal("customer-ended-call", call.GetProperty("endedReason").GetString());
        JsonAssert.IsVapiTimestamp(call.GetProperty("startedAt"));
        JsonAssert.IsVapiTimestamp(call.GetProperty("endedAt"));
        Assert.Equal(JsonValueKind.Number, call.GetProperty("cost").ValueKind);
        Assert.Equal(JsonValueKind.Number, call.GetProperty("costBreakdown").GetProperty("total").ValueKind);
        Assert.NotEmpty(call.GetProperty("artifact").GetProperty("transcript").GetString()!);
        Assert.Equal(JsonValueKind.Object, call.GetProperty("analysis").ValueKind);
    }

    [Theory]
    [InlineData("00000000-0000-0000-0000-000000000000")]
    [InlineData("not-even-a-uuid")]
    public async Task GetCall_Unknown_Answers404InVapisShape(string id)
    {
        using var response = await _vapi.Client.GetCallAsync(VapiFixture.Key, id);

        var body = await VapiClient.ReadJsonAsync(response);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(404, body.GetProperty("statusCode").GetInt32());
        Assert.Equal("Not Found", body.GetProperty("error").GetString());
    }

    [Fact]
    public async Task GetCall_OfAnotherOrg_Answers404()
    {
        var id = (await _vapi.Client.CreateCallOkAsync(VapiFixture.OtherOrgKey)).GetProperty("id").GetString()!;

        using var response = await _vapi.Client.GetCallAsync(VapiFixture.Key, id);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task ListCalls_AnswersAPlainArrayOfTheOrgsCalls_NewestFirst()
    {
        var ids = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            ids.Add((await _vapi.Client.CreateCallOkAsync(VapiFixture.Key)).GetProperty("id").GetString()!);
        }

        await _vapi.Client.CreateCallOkAsync(VapiFixture.OtherOrgKey);

        using var response = await _vapi.Client.ListCallsAsync(VapiFixture.Key);

        var list = await VapiClient.ReadJsonAsync(response);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(JsonValueKind.Array, list.ValueKind);
        Assert.Equal([ids[2], ids[1], ids[0]], Ids(list));
    }

    [Fact]
    public async Task ListCalls_FiltersByIdAssistantAndPhoneNumber()
    {
        var plain = (await _vapi.Client.CreateCallOkAsync(VapiFixture.Key)).GetProperty("id").GetString()!;
        var otherAssistantBody = VapiClient.CallBody();
        otherAssistantBody["assistantId"] = "assistant-2";
        var otherAssistant = (await _vapi.Client.CreateCallOkAsync(VapiFixture.Key, otherAssistantBody)).GetProperty("id").GetString()!;
        var otherNumberBody = VapiClient.CallBody();
        otherNumberBody["phoneNumberId"] = "phone-2";
        var otherNumber = (await _vapi.Client.CreateCallOkAsync(VapiFixture.Key, otherNumberBody)).GetProperty("id").GetString()!;

        Assert.Equal([plain], await ListIdsAsync($"?id={plain}"));
        Assert.Equal([otherAssistant], await ListIdsAsync("?assistantId=assistant-2"));
        Assert.Equal([otherNumber], await ListIdsAsync("?phoneNumberId=phone-2"));
        Assert.Equal([otherNumber, plain], await ListIdsAsync($"?assistantId={VapiClient.AssistantId}"));
    }

    [Fact]
    public async Task ListCalls_Limit_KeepsTheNewest()
    {
        var ids = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            ids.Add((await _vapi.Client.CreateCallOkAsync(VapiFixture.Key)).GetProperty("id").GetString()!);
        }

        Assert.Equal([ids[3], ids[2]], await ListIdsAsync("?limit=2"));
        Assert.Empty(await ListIdsAsync("?limit=0"));
    }

    [Theory]
    [InlineData("?limit=1001", "limit must not be greater than 1000")]
    [InlineData("?limit=-1", "limit must not be less than 0")]
    [InlineData("?limit=many", "limit must be a number conforming to the specified constraints")]
    [InlineData("?createdAtGt=yesterday", "createdAtGt must be a valid ISO 8601 date string")]
    [InlineData("?cursor=abc", "property cursor should not exist")]
    public async Task ListCalls_WithABadQuery_Answers400(string query, string expectedMessage)
    {
        using var response = await _vapi.Client.ListCallsAsync(VapiFixture.Key, query);

        var body = await VapiClient.ReadJsonAsync(response);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(expectedMessage, body.GetProperty("message").EnumerateArray().Select(message => message.GetString()));
    }

    [Theory]
    [InlineData("DELETE", "/vapi/call/abc", "Cannot DELETE /call/abc")]
    [InlineData("GET", "/vapi/calls", "Cannot GET /calls")]
    public async Task UnknownRoute_Answers404InVapisShape(string method, string path, string expectedMessage)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path);

        using var response = await _vapi.Emulators.Http.SendAsync(request, TestContext.Current.CancellationToken);

        var body = await VapiClient.ReadJsonAsync(response);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(expectedMessage, body.GetProperty("message").GetString());
    }

    internal static List<string> Ids(JsonElement list) =>
        [.. list.EnumerateArray().Select(call => call.GetProperty("id").GetString()!)];

    private async Task<List<string>> ListIdsAsync(string query)
    {
        using var response = await _vapi.Client.ListCallsAsync(VapiFixture.Key, query);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return Ids(await VapiClient.ReadJsonAsync(response));
    }
}
