using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using CalendarGrains.Sandbox.Google.Calendar;
using CalendarGrains.Tests.Connections;
using CalendarGrains.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using static CalendarGrains.Tests.Tools.ToolMessages;

namespace CalendarGrains.Tests.Tools;

/// <summary>
/// Phone numbers routed to connections, Vapi's assistant-request for an inbound call, and the tool
/// calls of that call reaching the routed connection's calendar.
/// </summary>
public sealed class InboundCallTests(ToolsHostFixture fixture) : IClassFixture<ToolsHostFixture>
{
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;

    private GoogleCalendarEmulator Calendar => fixture.Host.Services.GetRequiredService<GoogleCalendarEmulator>();

    /// <summary>Vapi's <c>assistant-request</c> (SDK ServerMessageAssistantRequest) for a call to our number.</summary>
    private static JsonObject AssistantRequest(string? phoneNumberId, string? number, string customer = "+15550109999") => new()
    {
        ["message"] = new JsonObject
        {
            ["type"] = "assistant-request",
            ["timestamp"] = 1764000000000,
            ["phoneNumber"] = number is null ? null : new JsonObject { ["provider"] = "vapi", ["number"] = number },
            ["customer"] = new JsonObject { ["number"] = customer },
            ["call"] = new JsonObject
            {
                ["id"] = Guid.NewGuid().ToString(),
                ["orgId"] = Guid.NewGuid().ToString(),
                ["type"] = "inboundPhoneCall",
                ["status"] = "ringing",
                ["phoneNumberId"] = phoneNumberId,
                ["customer"] = new JsonObject { ["number"] = customer },
            },
        },
    };

    private async Task<JsonElement> AskAsync(ConnectionKit kit, JsonObject message, string? secret = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/v1/vapi/events/{kit.Tenant.Id}") { Content = JsonContent.Create(message) };
        request.Headers.Add("X-Vapi-Secret", secret ?? kit.Tenant.VapiServerSecret);
        var response = await fixture.Host.Http.SendAsync(request, _ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>(_ct);
    }

    [Fact]
    public async Task AssistantRequest_ForARoutedNumber_AnswersTheAssistantWithTheConnection_AndItsToolCallsReachThatCalendar()
    {
        using var kit = await ConnectionKit.CreateAsync(fixture.Host);
        var connectionId = await kit.ConnectAsync("inbound-1", "inbound-1@example.com");
        var put = await kit.Api.PutAsJsonAsync("/v1/phone-numbers/+1 (555) 010-0200", new { connectionId, assistantId = "asst-front-desk", timeZone = "America/Chicago" }, _ct);
        Assert.Equal(HttpStatusCode.Created, put.StatusCode);

        var answer = await AskAsync(kit, AssistantRequest(phoneNumberId: "pn-unknown", number: "+15550100200"));

        Assert.Equal("asst-front-desk", answer.GetProperty("assistantId").GetString());
        var overrides = answer.GetProperty("assistantOverrides");
        Assert.Equal(connectionId, overrides.GetProperty("variableValues").GetProperty("connectionId").GetString());
        Assert.Equal("America/Chicago", overrides.GetProperty("variableValues").GetProperty("timeZone").GetString());
        Assert.Equal(connectionId, overrides.GetProperty("metadata").GetProperty("connectionId").GetString());
        Assert.Equal(connectionId, overrides.GetProperty("credentials")[0].GetProperty("authorizationId").GetString());
        Assert.False(answer.TryGetProperty("error", out _));

        // Vapi echoes the overrides on the call in its tool-calls messages: the tools act on that connection, in that zone.
        var toolCall = Message(connectionId, "+15550109999", ("t1", "create_event", new { summary = "Walk-in", start = "2026-12-10T10:00" }));
        ((JsonObject)toolCall["message"]!["call"]!["assistantOverrides"]!["variableValues"]!)["timeZone"] = "America/Chicago";
        var booked = (await ResultsAsync(kit, toolCall))[0];
        Assert.Equal("Booked \"Walk-in\" for Thu 10 Dec 10:00–10:30 (America/Chicago).", Said(booked));
        Assert.Single(Calendar.GetEvents("inbound-1@example.com"));
    }

    /// <summary>End to end through the Vapi emulator: a customer calls, Vapi asks us for the assistant, the call's tool calls book on the routed calendar.</summary>
    [Fact]
    public async Task AnInboundCallSimulatedAtTheVapiEmulator_GetsOurAssistant_AndItsToolCallsBookOnTheRoutedCalendar()
    {
        using var kit = await ConnectionKit.CreateAsync(fixture.Host);
        var connectionId = await kit.ConnectAsync("inbound-e2e", "inbound-e2e@example.com");
        var vapiKey = "vapi-inbound-" + Guid.NewGuid().ToString("N");
        fixture.Host.Services.GetRequiredService<CalendarGrains.Sandbox.Vapi.VapiEmulator>().RegisterAccount(
            vapiKey, serverUrl: new Uri(fixture.Host.BaseUrl, $"/v1/vapi/events/{kit.Tenant.Id}"), serverSecret: kit.Tenant.VapiServerSecret);
        Assert.Equal(HttpStatusCode.Created, (await kit.Api.PutAsJsonAsync("/v1/phone-numbers/pn-e2e", new { connectionId, assistantId = "asst-e2e", timeZone = "Europe/Berlin" }, _ct)).StatusCode);

        var started = await fixture.Host.Http.PostAsJsonAsync("/sandbox/vapi/_emulator/inbound-calls",
            new { apiKey = vapiKey, phoneNumberId = "pn-e2e", number = "+15550100400", customerNumber = "+15550109998" }, _ct);
        Assert.Equal(HttpStatusCode.Created, started.StatusCode);
        var call = (await started.Content.ReadFromJsonAsync<JsonElement>(_ct)).GetProperty("call");
        Assert.Equal("inboundPhoneCall", call.GetProperty("type").GetString());
        Assert.Equal("asst-e2e", call.GetProperty("assistantId").GetString());
        Assert.Equal(connectionId, call.GetProperty("assistantOverrides").GetProperty("variableValues").GetProperty("connectionId").GetString());

        var toolCalls = new JsonArray(new JsonObject
        {
            ["id"] = "tc-e2e",
            ["type"] = "function",
            ["function"] = new JsonObject { ["name"] = "create_event", ["arguments"] = """{"summary":"Callback","start":"2026-12-10T16:00"}""" },
        });
        var asked = await fixture.Host.Http.PostAsJsonAsync($"/sandbox/vapi/_emulator/calls/{call.GetProperty("id").GetString()}/tool-calls",
            new { serverUrl = new Uri(fixture.Host.BaseUrl, $"/v1/vapi/tool-calls/{kit.Tenant.Id}"), secret = kit.Tenant.VapiServerSecret, toolCallList = toolCalls }, _ct);
        var answer = (await asked.Content.ReadFromJsonAsync<JsonElement>(_ct)).GetProperty("answer");

        Assert.Equal("Booked \"Callback\" for Thu 10 Dec 16:00–16:30 (Europe/Berlin).", Said(answer.GetProperty("results")[0]));
        var booked = Assert.Single(Calendar.GetEvents("inbound-e2e@example.com"));
        Assert.Equal("+15550109998", booked.PrivateProperties["calendarGrainsCaller"]);
    }

    [Fact]
    public async Task ToolCalls_OfAnInboundCallWithoutConnectionId_FindTheConnectionByTheCallsPhoneNumberId()
    {
        using var kit = await ConnectionKit.CreateAsync(fixture.Host);
        var connectionId = await kit.ConnectAsync("inbound-2", "inbound-2@example.com");
        Assert.Equal(HttpStatusCode.Created, (await kit.Api.PutAsJsonAsync("/v1/phone-numbers/pn-line-2", new { endUserId = "inbound-2" }, _ct)).StatusCode);
        var message = Message(connectionId: null, customerNumber: "+15550109999", ("t1", "list_events", new { start = "2026-12-10", end = "2026-12-10", timeZone = "UTC" }));
        ((JsonObject)message["message"]!["call"]!)["phoneNumberId"] = "pn-line-2";

        var result = (await ResultsAsync(kit, message))[0];

        Assert.Equal("No events on Thu 10 Dec (UTC).", Said(result));
    }

    [Fact]
    public async Task AssistantRequest_ForAnUnroutedNumber_OrWithoutAnAssistant_IsASpokenError()
    {
        using var kit = await ConnectionKit.CreateAsync(fixture.Host);
        var connectionId = await kit.ConnectAsync("inbound-3", "inbound-3@example.com");
        Assert.Equal(HttpStatusCode.Created, (await kit.Api.PutAsJsonAsync("/v1/phone-numbers/pn-no-assistant", new { connectionId }, _ct)).StatusCode);

        var unrouted = await AskAsync(kit, AssistantRequest("pn-nobody", "+15550100999"));
        var noAssistant = await AskAsync(kit, AssistantRequest("pn-no-assistant", null));
        var patched = await fixture.Host.Admin.PatchAsJsonAsync($"/v1/tenants/{kit.Tenant.Id}", new { vapi = new { assistantId = "asst-default" } }, _ct);
        var withDefault = await AskAsync(kit, AssistantRequest("pn-no-assistant", null));

        Assert.Equal("Sorry, this number cannot take calls right now. Please try again later.", unrouted.GetProperty("error").GetString());
        Assert.True(noAssistant.TryGetProperty("error", out _));
        Assert.Equal(HttpStatusCode.OK, patched.StatusCode);
        Assert.Equal("asst-default", withDefault.GetProperty("assistantId").GetString());
    }

    [Fact]
    public async Task AssistantRequest_WithAWrongSecret_Is401()
    {
        using var kit = await ConnectionKit.CreateAsync(fixture.Host);
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/v1/vapi/events/{kit.Tenant.Id}") { Content = JsonContent.Create(AssistantRequest("pn", null)) };
        request.Headers.Add("X-Vapi-Secret", "vss_wrong");

        Assert.Equal(HttpStatusCode.Unauthorized, (await fixture.Host.Http.SendAsync(request, _ct)).StatusCode);
    }

    [Fact]
    public async Task PhoneNumbers_AreTenantScoped_Listed_Deleted_AndBadInputIsProblemJson()
    {
        using var owner = await ConnectionKit.CreateAsync(fixture.Host);
        using var other = await ConnectionKit.CreateAsync(fixture.Host);
        var connectionId = await owner.ConnectAsync("numbers-1", "numbers-1@example.com");

        var created = await owner.Api.PutAsJsonAsync("/v1/phone-numbers/%2B15550100300", new { connectionId }, _ct);
        var replaced = await owner.Api.PutAsJsonAsync("/v1/phone-numbers/+15550100300", new { connectionId, assistantId = "asst-2" }, _ct);
        var listed = await owner.Api.GetFromJsonAsync<JsonElement>("/v1/phone-numbers", _ct);
        var strangers = await other.Api.GetAsync("/v1/phone-numbers/+15550100300", _ct);
        var otherConnection = await other.Api.PutAsJsonAsync("/v1/phone-numbers/+15550100301", new { connectionId }, _ct);
        var both = await owner.Api.PutAsJsonAsync("/v1/phone-numbers/+15550100302", new { connectionId, endUserId = "x" }, _ct);
        var noPlus = await owner.Api.PutAsJsonAsync("/v1/phone-numbers/15550100303", new { connectionId }, _ct);
        var badZone = await owner.Api.PutAsJsonAsync("/v1/phone-numbers/+15550100304", new { connectionId, timeZone = "EST" }, _ct);
        var deleted = await owner.Api.DeleteAsync("/v1/phone-numbers/+15550100300", _ct);
        var gone = await owner.Api.DeleteAsync("/v1/phone-numbers/+15550100300", _ct);

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal(HttpStatusCode.OK, replaced.StatusCode);
        Assert.Equal("asst-2", (await replaced.Content.ReadFromJsonAsync<JsonElement>(_ct)).GetProperty("assistantId").GetString());
        Assert.Equal("+15550100300", Assert.Single(listed.GetProperty("data").EnumerateArray()).GetProperty("phoneNumber").GetString());
        await ProblemAssert.IsProblemAsync(strangers, HttpStatusCode.NotFound, "not_found");
        await ProblemAssert.IsProblemAsync(otherConnection, HttpStatusCode.BadRequest, "invalid_request", "connectionId");
        await ProblemAssert.IsProblemAsync(both, HttpStatusCode.BadRequest, "invalid_request", "connectionId");
        await ProblemAssert.IsProblemAsync(noPlus, HttpStatusCode.BadRequest, "invalid_request", "phoneNumber");
        await ProblemAssert.IsProblemAsync(badZone, HttpStatusCode.BadRequest, "invalid_request", "timeZone");
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        await ProblemAssert.IsProblemAsync(gone, HttpStatusCode.NotFound, "not_found");
    }

    [Fact]
    public async Task ToolSettings_RoundTrip_AndInvalidWorkingHoursAreProblemJson()
    {
        using var kit = await ConnectionKit.CreateAsync(fixture.Host);
        var hours = new { timeZone = "Europe/Berlin", days = new { mon = new[] { "09:00-12:00", "13:00-17:00" }, sat = new[] { "10:00-24:00" } } };

        var defaults = await kit.Api.GetFromJsonAsync<JsonElement>("/v1/tool-settings", _ct);
        var put = await kit.Api.PutAsJsonAsync("/v1/tool-settings", new { timeZone = "europe/berlin", workingHours = hours, eventScope = "caller", defaultDurationMinutes = 45 }, _ct);
        var read = await kit.Api.GetFromJsonAsync<JsonElement>("/v1/tool-settings", _ct);
        var overnight = await kit.Api.PutAsJsonAsync("/v1/tool-settings", new { workingHours = new { days = new { fri = new[] { "22:00-02:00" } } } }, _ct);
        var badDay = await kit.Api.PutAsJsonAsync("/v1/tool-settings", new { workingHours = new { days = new { funday = new[] { "09:00-17:00" } } } }, _ct);
        var badScope = await kit.Api.PutAsJsonAsync("/v1/tool-settings", new { eventScope = "everything" }, _ct);

        Assert.Equal("tools-or-caller", defaults.GetProperty("eventScope").GetString());
        Assert.Equal(30, defaults.GetProperty("defaultDurationMinutes").GetInt32());
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        Assert.Equal("Europe/Berlin", read.GetProperty("timeZone").GetString());
        Assert.Equal("caller", read.GetProperty("eventScope").GetString());
        Assert.Equal(45, read.GetProperty("defaultDurationMinutes").GetInt32());
        Assert.Equal("13:00-17:00", read.GetProperty("workingHours").GetProperty("days").GetProperty("mon")[1].GetString());
        await ProblemAssert.IsProblemAsync(overnight, HttpStatusCode.BadRequest, "invalid_request", "workingHours");
        await ProblemAssert.IsProblemAsync(badDay, HttpStatusCode.BadRequest, "invalid_request", "workingHours");
        await ProblemAssert.IsProblemAsync(badScope, HttpStatusCode.BadRequest, "invalid_request", "eventScope");
    }
}
