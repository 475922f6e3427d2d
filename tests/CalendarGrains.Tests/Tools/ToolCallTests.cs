using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using CalendarGrains.Sandbox.Google.Calendar;
using CalendarGrains.Tests.Connections;
using CalendarGrains.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace CalendarGrains.Tests.Tools;

/// <summary>Vapi tool calls against the Google Calendar emulator, over real HTTP.</summary>
public sealed class ToolCallTests(SandboxHostFixture fixture) : IClassFixture<SandboxHostFixture>
{
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;

    private GoogleCalendarEmulator Calendar => fixture.Host.Services.GetRequiredService<GoogleCalendarEmulator>();

    [Fact]
    public async Task ThreeToolCallsInOneMessage_ReturnThreeResults_AndTheEventExistsAfterwards()
    {
        using var kit = await ConnectionKit.CreateAsync(fixture.Host);
        var connectionId = await kit.ConnectAsync("tools-1", "tools-1@example.com");
        var message = Message(connectionId,
            ("a1", "check_availability", new { start = "2026-12-02T09:00:00", end = "2026-12-02T17:00:00", timeZone = "Europe/Berlin" }),
            ("c1", "create_event", new { summary = "Call with Dana", start = "2026-12-02T10:00:00", end = "2026-12-02T10:30:00", timeZone = "Europe/Berlin", attendees = new[] { "dana@example.com" } }),
            ("l1", "list_events", new { start = "2026-12-01", end = "2026-12-03", timeZone = "Europe/Berlin" }));

        var response = await PostAsync(kit, message);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var results = (await response.Content.ReadFromJsonAsync<JsonElement>(_ct)).GetProperty("results").EnumerateArray().ToList();
        Assert.Equal(["a1", "c1", "l1"], results.Select(r => r.GetProperty("toolCallId").GetString()));
        Assert.Equal(["check_availability", "create_event", "list_events"], results.Select(r => r.GetProperty("name").GetString()));
        Assert.All(results, r => Assert.True(r.TryGetProperty("result", out _), r.ToString()));
        Assert.All(results, r => Assert.DoesNotContain('\n', r.GetProperty("result").GetString()!));
        Assert.Contains("Booked \"Call with Dana\"", results[1].GetProperty("result").GetString(), StringComparison.Ordinal);
        var created = Assert.Single(Calendar.GetEvents("tools-1@example.com"), e => e.Summary == "Call with Dana");
        Assert.Equal(new DateTimeOffset(2026, 12, 2, 9, 0, 0, TimeSpan.Zero), created.Start.DateTime!.Value.ToUniversalTime());
        Assert.Contains(created.Attendees, a => a.Email == "dana@example.com");
    }

    [Fact]
    public async Task Availability_AcrossABusyBlockInAnotherTimeZone_ListsTheRightFreeWindows()
    {
        using var kit = await ConnectionKit.CreateAsync(fixture.Host);
        var connectionId = await kit.ConnectAsync("tools-2", "tools-2@example.com");
        // 10:00–11:00 in New York on 1 Dec 2026 is 16:00–17:00 in Berlin.
        var newYork = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");
        Calendar.AddEvent("tools-2@example.com", new CalendarEventSeed("Dentist",
            CalendarEventTime.At(new DateTimeOffset(2026, 12, 1, 10, 0, 0, newYork.GetUtcOffset(new DateTime(2026, 12, 1))), "America/New_York"),
            CalendarEventTime.At(new DateTimeOffset(2026, 12, 1, 11, 0, 0, newYork.GetUtcOffset(new DateTime(2026, 12, 1))), "America/New_York")));

        var result = await SingleResultAsync(kit, connectionId, "check_availability",
            new { start = "2026-12-01T09:00:00", end = "2026-12-01T18:00:00", timeZone = "Europe/Berlin", durationMinutes = 30, workingHoursEnd = "18:00" });

        Assert.Equal("Free Tue 1 Dec 09:00–16:00 and 17:00–18:00 (Europe/Berlin).", result.GetProperty("result").GetString());
    }

    [Fact]
    public async Task ARevokedUser_GetsAnErrorSayingToReconnect_WithHttp200()
    {
        using var kit = await ConnectionKit.CreateAsync(fixture.Host);
        var connectionId = await kit.ConnectAsync("tools-3", "tools-3@example.com");
        kit.Google.RevokeUser("tools-3@example.com");

        var result = await SingleResultAsync(kit, connectionId, "list_events", new { start = "2026-12-01", end = "2026-12-02", timeZone = "UTC" });

        Assert.Contains("must be reconnected", result.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.False(result.TryGetProperty("result", out _));
    }

    [Fact]
    public async Task AWrongSecret_Is401()
    {
        using var kit = await ConnectionKit.CreateAsync(fixture.Host);
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/v1/vapi/tool-calls/{kit.Tenant.Id}") { Content = JsonContent.Create(Message("x")) };
        request.Headers.Add("X-Vapi-Secret", "vss_wrong");

        var wrong = await fixture.Host.Http.SendAsync(request, _ct);
        var missing = await fixture.Host.Http.PostAsJsonAsync($"/v1/vapi/tool-calls/{kit.Tenant.Id}", Message("x"), _ct);

        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, missing.StatusCode);
    }

    [Fact]
    public async Task AnotherTenantsConnection_IsAnErrorResult_WithNoData()
    {
        using var owner = await ConnectionKit.CreateAsync(fixture.Host);
        using var stranger = await ConnectionKit.CreateAsync(fixture.Host);
        var connectionId = await owner.ConnectAsync("tools-4", "tools-4@example.com");
        Calendar.AddEvent("tools-4@example.com", new CalendarEventSeed("Secret board meeting",
            CalendarEventTime.At(new DateTimeOffset(2026, 12, 1, 9, 0, 0, TimeSpan.Zero)), CalendarEventTime.At(new DateTimeOffset(2026, 12, 1, 10, 0, 0, TimeSpan.Zero))));

        var result = await SingleResultAsync(stranger, connectionId, "list_events", new { start = "2026-12-01", end = "2026-12-02", timeZone = "UTC" });

        Assert.Equal("The calendar connection for this call was not found.", result.GetProperty("error").GetString());
        Assert.DoesNotContain("board", result.ToString(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task BadArguments_AndArgumentsAsAJsonString_AreBothHandled()
    {
        using var kit = await ConnectionKit.CreateAsync(fixture.Host);
        var connectionId = await kit.ConnectAsync("tools-5", "tools-5@example.com");
        var asString = JsonSerializer.Serialize(new { start = "2026-12-01", end = "2026-12-02", timeZone = "UTC" });
        var message = Message(connectionId,
            ("s1", "list_events", asString),
            ("b1", "check_availability", new { start = "next tuesday", end = "2026-12-02", timeZone = "UTC" }),
            ("b2", "check_availability", new { start = "2026-12-01", end = "2026-12-02", timeZone = "Mars/Olympus" }),
            ("u1", "send_fax", new { }));

        var results = (await (await PostAsync(kit, message)).Content.ReadFromJsonAsync<JsonElement>(_ct)).GetProperty("results").EnumerateArray().ToList();

        Assert.True(results[0].TryGetProperty("result", out _), results[0].ToString());
        Assert.Contains("start must be an ISO 8601 date-time", results[1].GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Contains("not a known time zone", results[2].GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Contains("Unknown tool", results[3].GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheSameCreateToolCallTwice_BooksOnce()
    {
        using var kit = await ConnectionKit.CreateAsync(fixture.Host);
        var connectionId = await kit.ConnectAsync("tools-6", "tools-6@example.com");
        var message = Message(connectionId, ("same-id", "create_event", new { summary = "Once", start = "2026-12-03T15:00:00Z", timeZone = "UTC" }));

        var first = await PostAsync(kit, message);
        var again = await PostAsync(kit, message);

        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Contains("already booked", (await again.Content.ReadAsStringAsync(_ct)), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Single(Calendar.GetEvents("tools-6@example.com"), e => e.Summary == "Once");
    }

    [Fact]
    public async Task ToolDefinitions_PointAtThisServiceWithTheTenantsSecret()
    {
        using var kit = await ConnectionKit.CreateAsync(fixture.Host);

        var tools = await kit.Api.GetFromJsonAsync<JsonElement>("/v1/vapi/tools", _ct);

        Assert.Equal(["check_availability", "create_event", "list_events"], tools.EnumerateArray().Select(t => t.GetProperty("function").GetProperty("name").GetString()));
        foreach (var tool in tools.EnumerateArray())
        {
            Assert.Equal("function", tool.GetProperty("type").GetString());
            Assert.Equal("object", tool.GetProperty("function").GetProperty("parameters").GetProperty("type").GetString());
            var server = tool.GetProperty("server");
            Assert.Equal(new Uri(fixture.Host.BaseUrl, $"/v1/vapi/tool-calls/{kit.Tenant.Id}").AbsoluteUri, server.GetProperty("url").GetString());
            Assert.Equal(kit.Tenant.VapiServerSecret, server.GetProperty("headers").GetProperty("X-Vapi-Secret").GetString());
        }
    }

    private async Task<JsonElement> SingleResultAsync(ConnectionKit kit, string connectionId, string tool, object arguments)
    {
        var response = await PostAsync(kit, Message(connectionId, ("t1", tool, arguments)));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>(_ct)).GetProperty("results")[0].Clone();
    }

    private async Task<HttpResponseMessage> PostAsync(ConnectionKit kit, JsonObject message)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/v1/vapi/tool-calls/{kit.Tenant.Id}") { Content = JsonContent.Create(message) };
        request.Headers.Add("X-Vapi-Secret", kit.Tenant.VapiServerSecret);
        return await fixture.Host.Http.SendAsync(request, _ct);
    }

    /// <summary>A Vapi tool-calls server message for a call made with this connection.</summary>
    private static JsonObject Message(string connectionId, params (string Id, string Name, object Arguments)[] calls) => new()
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
            ["call"] = new JsonObject
            {
                ["id"] = "vapi-call-" + Guid.NewGuid().ToString("N"),
                ["assistantOverrides"] = new JsonObject { ["variableValues"] = new JsonObject { ["connectionId"] = connectionId } },
            },
        },
    };
}
