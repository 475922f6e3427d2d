using System.Net;
using System.Text.Json;
using CalendarGrains.Calls;
using CalendarGrains.Connections;
using CalendarGrains.Sandbox.Vapi;
using CalendarGrains.Vapi;

namespace CalendarGrains.Tests.Calls;

/// <summary>Placing calls at Vapi exactly once: idempotency keys, lost responses, what the request carries.</summary>
public sealed class CallDispatchTests(CallsHostFixture fixture) : IClassFixture<CallsHostFixture>
{
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;

    [Fact]
    public async Task FiftyConcurrentRequests_WithOneIdempotencyKey_PlaceOneVapiCall()
    {
        fixture.Vapi.Use(EmulatorSettings.Manual);
        using var scenario = await CallScenario.StartAsync(fixture.Host, fixture.Vapi);
        var body = scenario.Body();

        var answers = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => scenario.PlaceAsync(body, "order-4711")));

        Assert.All(answers, answer => Assert.Contains(answer.Response.StatusCode, new[] { HttpStatusCode.Accepted, HttpStatusCode.OK }));
        Assert.Single(answers, answer => answer.Response.StatusCode == HttpStatusCode.Accepted);
        var callId = Assert.Single(answers.Select(answer => answer.Call!.Id).Distinct());
        var dispatched = await scenario.WaitForStatusAsync(callId, CallStatus.Queued);
        var created = Assert.Single(scenario.CreatedCalls());
        Assert.Equal(dispatched.VapiCallId, created.CallId);
        Assert.Equal(callId, CallScenario.OurCallId(created));

        // The same key and body later still means that call, and dials nobody new.
        var (again, call) = await scenario.PlaceAsync(body, "order-4711");
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(callId, call!.Id);
        Assert.Single(scenario.CreatedCalls());
    }

    [Fact]
    public async Task SameIdempotencyKey_WithAnotherBody_Is409_AndDialsNobodyElse()
    {
        fixture.Vapi.Use(EmulatorSettings.Manual);
        using var scenario = await CallScenario.StartAsync(fixture.Host, fixture.Vapi);
        var first = await scenario.PlaceAcceptedAsync(scenario.Body("+15550100"), "key-1");

        var (response, _) = await scenario.PlaceAsync(scenario.Body("+15550199"), "key-1");

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync(_ct));
        Assert.Equal("idempotency_conflict", problem.RootElement.GetProperty("code").GetString());
        await scenario.WaitForStatusAsync(first.Id, CallStatus.Queued);
        var created = Assert.Single(scenario.CreatedCalls());
        Assert.Equal("+15550100", created.Request.GetProperty("customer").GetProperty("number").GetString());

        // Member order and spacing are not "another body".
        var reordered = new Dictionary<string, object?> { ["customer"] = new { number = "+15550100" }, ["connectionId"] = scenario.ConnectionId };
        var (same, call) = await scenario.PlaceAsync(reordered, "key-1");
        Assert.Equal(HttpStatusCode.OK, same.StatusCode);
        Assert.Equal(first.Id, call!.Id);
    }

    [Fact]
    public async Task LostResponseToTheFirstPostCall_DialsTheCustomerOnce_AndTheCallReachesEnded()
    {
        fixture.Vapi.Use(EmulatorSettings.Manual);
        using var scenario = await CallScenario.StartAsync(fixture.Host, fixture.Vapi);
        fixture.Vapi.DropNextCreateCallResponses(1);

        var accepted = await scenario.PlaceAcceptedAsync(idempotencyKey: "dropped-1");

        // No server message arrives in manual mode: only listing Vapi's recent calls can find it.
        var found = await scenario.WaitForStatusAsync(accepted.Id, CallStatus.Queued);
        var created = Assert.Single(scenario.CreatedCalls());
        Assert.Equal(created.CallId, found.VapiCallId);
        await fixture.Vapi.CompleteAsync(created.CallId, VapiCallOutcome.Completed, _ct);
        var ended = await scenario.WaitForAsync(accepted.Id, call => call.Status == CallStatus.Ended && call.Cost is not null, "ended with its report");
        Assert.Equal("customer-ended-call", ended.EndedReason);
        Assert.Single(scenario.CreatedCalls());
        Assert.Equal(
            [CallStatus.Pending, CallStatus.Dispatching, CallStatus.Queued, CallStatus.Ringing, CallStatus.InProgress, CallStatus.Ended],
            ended.StatusHistory.Select(change => change.Status));
        Assert.DoesNotContain(scenario.VapiApiKey, fixture.Host.Logs.All, StringComparison.Ordinal);
        Assert.DoesNotContain(scenario.Tenant.VapiServerSecret, fixture.Host.Logs.All, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LostResponse_WhileVapiDoesNotListTheCallYet_WaitsForItInsteadOfDiallingAgain()
    {
        // Vapi lists a new call only after a while (shorter than the 3 s grace of these tests).
        fixture.Vapi.Use(EmulatorSettings.Manual with { VisibilityDelay = TimeSpan.FromSeconds(1.2) });
        using var scenario = await CallScenario.StartAsync(fixture.Host, fixture.Vapi);
        fixture.Vapi.DropNextCreateCallResponses(1);

        var accepted = await scenario.PlaceAcceptedAsync();

        var found = await scenario.WaitForStatusAsync(accepted.Id, CallStatus.Queued);
        Assert.Equal(Assert.Single(scenario.CreatedCalls()).CallId, found.VapiCallId);
    }

    [Fact]
    public async Task ServerErrorWithNothingCreated_IsSentAgainOnlyAfterVapiShowsNoTraceOfIt()
    {
        fixture.Vapi.Use(EmulatorSettings.Manual);
        using var scenario = await CallScenario.StartAsync(fixture.Host, fixture.Vapi);
        fixture.Vapi.FailNextCreateCalls(1, 500);

        var accepted = await scenario.PlaceAcceptedAsync();

        var dispatching = await scenario.WaitForStatusAsync(accepted.Id, CallStatus.Dispatching);
        Assert.Empty(scenario.CreatedCalls());
        var queued = await scenario.WaitForStatusAsync(accepted.Id, CallStatus.Queued);
        var created = Assert.Single(scenario.CreatedCalls());
        Assert.Equal(created.CallId, queued.VapiCallId);

        // Sent again only once the 3 s grace had passed without a trace of the first attempt.
        var firstAttempt = dispatching.StatusHistory.Single(change => change.Status == CallStatus.Dispatching).At;
        Assert.True(created.CreatedAt - firstAttempt >= TimeSpan.FromSeconds(2.9), $"re-sent after {created.CreatedAt - firstAttempt}");
    }

    [Fact]
    public async Task VapiRequest_CarriesTheCredentialAndIds_AndTheTenantDefaultsUnlessOverridden()
    {
        fixture.Vapi.Use(EmulatorSettings.Manual);
        using var scenario = await CallScenario.StartAsync(fixture.Host, fixture.Vapi);
        var withDefaults = await scenario.PlaceAcceptedAsync(scenario.Body(
            "+15550100",
            ("assistantOverrides", new { variableValues = new { firstName = "Ada" }, metadata = new { crmId = "42" } }),
            ("metadata", new { orderId = "o-1" })));
        var overridden = await scenario.PlaceAcceptedAsync(scenario.Body(
            "+15550101",
            ("assistantId", "asst-override"),
            ("phoneNumberId", "phone-override")));
        await scenario.WaitForStatusAsync(withDefaults.Id, CallStatus.Queued);
        await scenario.WaitForStatusAsync(overridden.Id, CallStatus.Queued);
        var bodies = scenario.CreatedCalls().ToDictionary(call => CallScenario.OurCallId(call)!, call => call.Request);

        var first = bodies[withDefaults.Id];
        Assert.Equal(CallScenario.DefaultAssistantId, first.GetProperty("assistantId").GetString());
        Assert.Equal(CallScenario.DefaultPhoneNumberId, first.GetProperty("phoneNumberId").GetString());
        Assert.Equal("+15550100", first.GetProperty("customer").GetProperty("number").GetString());
        var overrides = first.GetProperty("assistantOverrides");
        var credential = Assert.Single(overrides.GetProperty("credentials").EnumerateArray());
        Assert.Equal(VapiCredentials.GoogleCalendarProvider, credential.GetProperty("provider").GetString());
        Assert.Equal(scenario.ConnectionId, credential.GetProperty("authorizationId").GetString());
        Assert.False(string.IsNullOrEmpty(credential.GetProperty("name").GetString()));
        foreach (var member in new[] { "variableValues", "metadata" })
        {
            Assert.Equal(scenario.ConnectionId, overrides.GetProperty(member).GetProperty("connectionId").GetString());
            Assert.Equal(withDefaults.Id, overrides.GetProperty(member).GetProperty("callId").GetString());
        }

        Assert.Equal("Ada", overrides.GetProperty("variableValues").GetProperty("firstName").GetString());
        Assert.Equal("42", overrides.GetProperty("metadata").GetProperty("crmId").GetString());
        Assert.False(first.TryGetProperty("metadata", out _), "Vapi has no top-level metadata: ours stays with us");

        var second = bodies[overridden.Id];
        Assert.Equal("asst-override", second.GetProperty("assistantId").GetString());
        Assert.Equal("phone-override", second.GetProperty("phoneNumberId").GetString());
        Assert.Equal(overridden.Id, second.GetProperty("assistantOverrides").GetProperty("metadata").GetProperty("callId").GetString());
        Assert.Equal("o-1", (await scenario.GetAsync(withDefaults.Id)).Metadata.GetProperty("orderId").GetString());
    }

    [Fact]
    public async Task ConnectionThatNeedsReauth_Is409_BeforeAnythingIsDialled()
    {
        fixture.Vapi.Use(EmulatorSettings.Manual);
        var clientId = $"reauth-{Guid.NewGuid():N}.apps.googleusercontent.com";
        fixture.Google.RegisterClient(clientId, "reauth-secret");
        using var scenario = await CallScenario.StartAsync(fixture.Host, fixture.Vapi, googleClientId: clientId, googleClientSecret: "reauth-secret");

        // The imported refresh token is unknown to Google: the first refresh marks the connection needs_reauth.
        var token = await scenario.Client.PostAsync($"/v1/connections/{scenario.ConnectionId}/token", null, _ct);
        Assert.Equal(HttpStatusCode.Conflict, token.StatusCode);

        var (response, _) = await scenario.PlaceAsync(scenario.Body(), "reauth-key");

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync(_ct));
        Assert.Equal("connection_needs_reauth", problem.RootElement.GetProperty("code").GetString());
        Assert.Empty(scenario.CreatedCalls());
        Assert.Empty((await scenario.ListAsync()).Data);
    }
}
