using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using CalendarGrains.Sandbox.Vapi.Wire;

namespace CalendarGrains.Sandbox.Tests.Vapi;

public sealed class VapiCreateCallTests : IClassFixture<VapiFixture>
{
    private readonly VapiFixture _vapi;

    public VapiCreateCallTests(VapiFixture vapi)
    {
        _vapi = vapi;
        vapi.StartTest();
    }

    [Fact]
    public async Task CreateCall_Answers201WithTheCallInVapisShape()
    {
        var sent = VapiClient.CallBody();

        using var response = await _vapi.Client.CreateCallAsync(VapiFixture.Key, sent);

        var call = await VapiClient.ReadJsonAsync(response);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.True(Guid.TryParse(call.GetProperty("id").GetString(), out _));
        Assert.Equal(_vapi.OrgId, call.GetProperty("orgId").GetString());
        JsonAssert.IsVapiTimestamp(call.GetProperty("createdAt"));
        Assert.Equal(call.GetProperty("createdAt").GetString(), call.GetProperty("updatedAt").GetString());
        Assert.Equal("outboundPhoneCall", call.GetProperty("type").GetString());
        Assert.Equal(CallStatuses.Queued, call.GetProperty("status").GetString());
        Assert.Equal(VapiClient.PhoneNumberId, call.GetProperty("phoneNumberId").GetString());
        Assert.Equal(VapiClient.AssistantId, call.GetProperty("assistantId").GetString());
        JsonAssert.Same(sent["customer"], call.GetProperty("customer"));
        JsonAssert.Same(sent["assistantOverrides"], call.GetProperty("assistantOverrides"));
        Assert.False(call.TryGetProperty("endedReason", out _));
        Assert.False(call.TryGetProperty("metadata", out _));
    }

    [Fact]
    public async Task CreateCall_ReportsTheOrgsConcurrency_IncludingThisCall()
    {
        var first = await _vapi.Client.CreateCallOkAsync(VapiFixture.Key);
        var second = await _vapi.Client.CreateCallOkAsync(VapiFixture.Key);

        AssertLimits(first, blocked: false, limit: 10, remaining: 9);
        AssertLimits(second, blocked: false, limit: 10, remaining: 8);
    }

    [Fact]
    public async Task CreatedCalls_KeepTheRequestBodyExactlyAsSent()
    {
        var sent = VapiClient.CallBody(ourCallId: "call_42");
        sent["name"] = "Reminder for Ada";

        var created = await _vapi.Client.CreateCallOkAsync(VapiFixture.Key, sent);

        var recorded = Assert.Single(_vapi.Vapi.CreatedCalls());
        Assert.Equal(created.GetProperty("id").GetString(), recorded.CallId);
        Assert.Equal(_vapi.OrgId, recorded.OrgId);
        JsonAssert.Same(sent, recorded.Request);
        Assert.Equal(1, _vapi.Vapi.Counters.CallsCreated);
    }

    [Fact]
    public async Task CreateCall_WithATransientAssistant_EchoesIt()
    {
        var sent = VapiClient.CallBody();
        sent.Remove("assistantId");
        sent["assistant"] = new JsonObject { ["name"] = "Scheduler", ["firstMessage"] = "Hello!" };

        var call = await _vapi.Client.CreateCallOkAsync(VapiFixture.Key, sent);

        JsonAssert.Same(sent["assistant"], call.GetProperty("assistant"));
        Assert.False(call.TryGetProperty("assistantId", out _));
    }

    [Fact]
    public async Task CreateCall_ScheduledForLater_IsScheduledAndHoldsNoSlot()
    {
        var sent = VapiClient.CallBody();
        sent["schedulePlan"] = new JsonObject { ["earliestAt"] = TimeProvider.System.GetUtcNow().AddHours(1).ToString("O") };

        var call = await _vapi.Client.CreateCallOkAsync(VapiFixture.Key, sent);

        Assert.Equal(CallStatuses.Scheduled, call.GetProperty("status").GetString());
        JsonAssert.Same(sent["schedulePlan"], call.GetProperty("schedulePlan"));
        AssertLimits(call, blocked: false, limit: 10, remaining: 10);
        Assert.Equal(0, _vapi.Vapi.Counters.LiveCalls);
    }

    [Fact]
    public async Task CreateCall_ScheduledInThePast_IsQueuedAtOnce()
    {
        var sent = VapiClient.CallBody();
        sent["schedulePlan"] = new JsonObject { ["earliestAt"] = "2020-01-01T00:00:00Z" };

        var call = await _vapi.Client.CreateCallOkAsync(VapiFixture.Key, sent);

        Assert.Equal(CallStatuses.Queued, call.GetProperty("status").GetString());
    }

    internal static void AssertLimits(JsonElement call, bool blocked, int limit, int remaining)
    {
        var limits = call.GetProperty("subscriptionLimits");
        Assert.Equal(blocked, limits.GetProperty("concurrencyBlocked").GetBoolean());
        Assert.Equal(limit, limits.GetProperty("concurrencyLimit").GetInt32());
        Assert.Equal(remaining, limits.GetProperty("remainingConcurrentCalls").GetInt32());
    }
}
