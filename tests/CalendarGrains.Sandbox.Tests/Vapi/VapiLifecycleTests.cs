using System.Text.Json;
using System.Text.Json.Nodes;
using CalendarGrains.Sandbox.Vapi;
using CalendarGrains.Sandbox.Vapi.Wire;

namespace CalendarGrains.Sandbox.Tests.Vapi;

/// <summary>Manual stepping: each step posts its server messages before AdvanceAsync returns.</summary>
public sealed class VapiLifecycleTests : IClassFixture<VapiFixture>
{
    private readonly VapiFixture _vapi;

    public VapiLifecycleTests(VapiFixture vapi)
    {
        _vapi = vapi;
        vapi.StartTest();
    }

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Advance_PostsStatusUpdatesInOrder_ThenTheEndOfCallReport_WithTheOrgSecret()
    {
        var id = await CreateCallAsync();

        Assert.Equal(CallStatuses.Ringing, (await _vapi.Vapi.AdvanceAsync(id, Cancellation)).Status);
        Assert.Equal(CallStatuses.InProgress, (await _vapi.Vapi.AdvanceAsync(id, Cancellation)).Status);
        Assert.Equal(CallStatuses.Ended, (await _vapi.Vapi.AdvanceAsync(id, Cancellation)).Status);

        var received = _vapi.Receiver.Received;
        Assert.Equal(["ringing", "in-progress", "ended", "report"], received.Select(message => message.StatusOrReport));
        Assert.All(received, message =>
        {
            Assert.Equal("/org-server", message.Path);
            Assert.Equal(VapiFixture.OrgSecret, message.Secret);
            Assert.Equal(id, message.CallId);
            Assert.Equal(JsonValueKind.Number, message.Message.GetProperty("timestamp").ValueKind);
        });
        Assert.Equal("ringing", received[0].Message.GetProperty("call").GetProperty("status").GetString());
        Assert.False(received[0].Message.TryGetProperty("endedReason", out _));
        Assert.Equal("customer-ended-call", received[2].Message.GetProperty("endedReason").GetString());
        Assert.Equal(4, _vapi.Vapi.Counters.WebhooksDelivered);
    }

    [Fact]
    public async Task EndOfCallReport_CarriesTheReportAndTheCallWithOurCorrelation()
    {
        var id = await CreateCallAsync(VapiClient.CallBody(ourCallId: "call_77"));

        await _vapi.Vapi.CompleteAsync(id, VapiCallOutcome.Completed, Cancellation);

        var report = _vapi.Receiver.Received.Single(message => message.Type == "end-of-call-report").Message;
        Assert.Equal("customer-ended-call", report.GetProperty("endedReason").GetString());
        JsonAssert.IsVapiTimestamp(report.GetProperty("startedAt"));
        JsonAssert.IsVapiTimestamp(report.GetProperty("endedAt"));
        Assert.Equal(JsonValueKind.Number, report.GetProperty("cost").ValueKind);
        Assert.Equal(JsonValueKind.Array, report.GetProperty("artifact").GetProperty("messages").ValueKind);
        Assert.Equal(JsonValueKind.Object, report.GetProperty("analysis").ValueKind);
        var call = report.GetProperty("call");
        Assert.Equal(CallStatuses.Ended, call.GetProperty("status").GetString());
        Assert.Equal("call_77", call.GetProperty("assistantOverrides").GetProperty("metadata").GetProperty("callId").GetString());
        Assert.Equal("call_77", call.GetProperty("assistantOverrides").GetProperty("variableValues").GetProperty("callId").GetString());
        Assert.Equal("+15550100", report.GetProperty("customer").GetProperty("number").GetString());
    }

    [Theory]
    [InlineData("completed", "customer-ended-call", new[] { "ringing", "in-progress", "ended", "report" })]
    [InlineData("no-answer", "customer-did-not-answer", new[] { "ringing", "ended", "report" })]
    [InlineData("busy", "customer-busy", new[] { "ended", "report" })]
    [InlineData("voicemail", "voicemail", new[] { "ringing", "in-progress", "ended", "report" })]
    [InlineData("failed-to-connect", "twilio-failed-to-connect-call", new[] { "ended", "report" })]
    public async Task OutcomeOfTheNumber_DecidesThePathAndTheEndedReason(string outcome, string endedReason, string[] expectedMessages)
    {
        Assert.True(VapiCallOutcome.TryParse(outcome, out var parsed));
        _vapi.Vapi.SetOutcomeForNumber("+15550199", parsed);
        var id = await CreateCallAsync(VapiClient.CallBody(number: "+15550199"));

        VapiCall call;
        var steps = 0;
        do
        {
            call = await _vapi.Vapi.AdvanceAsync(id, Cancellation);
            steps++;
        }
        while (call.Status != CallStatuses.Ended);

        Assert.Equal(endedReason, call.EndedReason);
        Assert.Equal(expectedMessages.Length - 1, steps);
        Assert.Equal(expectedMessages, _vapi.Receiver.Received.Select(message => message.StatusOrReport));
        Assert.Equal(0, _vapi.Vapi.Counters.LiveCalls);
    }

    [Fact]
    public async Task DefaultOutcome_AppliesToNumbersWithoutAnOutcome()
    {
        _vapi.Vapi.Configure(settings => settings with { DefaultOutcome = VapiCallOutcome.Busy });
        _vapi.Vapi.SetOutcomeForNumber("+15550111", VapiCallOutcome.Completed);
        var busy = await CreateCallAsync(VapiClient.CallBody(number: "+15550110"));
        var answered = await CreateCallAsync(VapiClient.CallBody(number: "+15550111"));

        Assert.Equal(CallStatuses.Ended, (await _vapi.Vapi.AdvanceAsync(busy, Cancellation)).Status);
        Assert.Equal(CallStatuses.Ringing, (await _vapi.Vapi.AdvanceAsync(answered, Cancellation)).Status);
    }

    [Fact]
    public async Task Complete_EndsTheCallWithTheGivenOutcome_ThroughItsMissingStatuses()
    {
        var id = await CreateCallAsync();

        var ended = await _vapi.Vapi.CompleteAsync(id, VapiCallOutcome.NoAnswer, Cancellation);

        Assert.Equal("customer-did-not-answer", ended.EndedReason);
        Assert.Equal(["ringing", "ended", "report"], _vapi.Receiver.Received.Select(message => message.StatusOrReport));
        Assert.Equal(0, ended.Cost);
    }

    [Fact]
    public async Task AnEndedCall_StaysEnded_AndSendsNothingMore()
    {
        var id = await CreateCallAsync();
        await _vapi.Vapi.CompleteAsync(id, VapiCallOutcome.Busy, Cancellation);

        var again = await _vapi.Vapi.AdvanceAsync(id, Cancellation);
        var completedAgain = await _vapi.Vapi.CompleteAsync(id, VapiCallOutcome.Completed, Cancellation);

        Assert.Equal("customer-busy", again.EndedReason);
        Assert.Equal("customer-busy", completedAgain.EndedReason);
        Assert.Equal(2, _vapi.Receiver.Received.Count);
    }

    [Fact]
    public async Task Advance_UnknownCall_Throws()
    {
        await Assert.ThrowsAsync<KeyNotFoundException>(() => _vapi.Vapi.AdvanceAsync("no-such-call", Cancellation));
    }

    [Fact]
    public async Task ServerInTheOverrides_WinsOverTheOrgServer_WithItsOwnSecretAndHeaders()
    {
        var body = VapiClient.CallBody();
        body["assistantOverrides"]!["server"] = new JsonObject
        {
            ["url"] = _vapi.Receiver.UrlFor("/v1/vapi/events/tenant-1").ToString(),
            ["secret"] = "tenant-1-secret",
            ["headers"] = new JsonObject { ["X-Tenant"] = "tenant-1" },
        };
        var id = await CreateCallAsync(body);

        await _vapi.Vapi.CompleteAsync(id, VapiCallOutcome.Busy, Cancellation);

        Assert.All(_vapi.Receiver.Received, message =>
        {
            Assert.Equal("/v1/vapi/events/tenant-1", message.Path);
            Assert.Equal("tenant-1-secret", message.Secret);
            Assert.Equal("tenant-1", message.Headers["X-Tenant"]);
            Assert.StartsWith("application/json", message.Headers["Content-Type"], StringComparison.Ordinal);
        });
    }

    [Fact]
    public async Task ServerOfATransientAssistant_IsUsed_WithTheOrgSecretWhenItHasNone()
    {
        var body = VapiClient.CallBody();
        body.Remove("assistantId");
        body["assistant"] = new JsonObject
        {
            ["name"] = "Scheduler",
            ["server"] = new JsonObject { ["url"] = _vapi.Receiver.UrlFor("/assistant-server").ToString() },
        };
        var id = await CreateCallAsync(body);

        await _vapi.Vapi.CompleteAsync(id, VapiCallOutcome.FailedToConnect, Cancellation);

        Assert.All(_vapi.Receiver.Received, message =>
        {
            Assert.Equal("/assistant-server", message.Path);
            Assert.Equal(VapiFixture.OrgSecret, message.Secret);
            Assert.Equal("Scheduler", message.Message.GetProperty("assistant").GetProperty("name").GetString());
        });
    }

    [Fact]
    public async Task WebhooksOff_SendNothing_AndCountTheSkippedMessages()
    {
        _vapi.Vapi.Configure(settings => settings with { WebhooksEnabled = false });
        var silent = await CreateCallAsync();
        await _vapi.Vapi.CompleteAsync(silent, VapiCallOutcome.Completed, Cancellation);

        _vapi.Vapi.Configure(settings => settings with { WebhooksEnabled = true });
        var heard = await CreateCallAsync();
        await _vapi.Vapi.CompleteAsync(heard, VapiCallOutcome.Busy, Cancellation);

        Assert.All(_vapi.Receiver.Received, message => Assert.Equal(heard, message.CallId));
        Assert.Equal(2, _vapi.Receiver.Received.Count);
        Assert.Equal(4, _vapi.Vapi.Counters.WebhooksSkipped);
    }

    [Fact]
    public async Task DuplicateWebhooks_DeliverEachMessageTwice_BackToBack()
    {
        _vapi.Vapi.Configure(settings => settings with { DuplicateWebhooks = true });
        var id = await CreateCallAsync();

        await _vapi.Vapi.CompleteAsync(id, VapiCallOutcome.NoAnswer, Cancellation);

        var received = _vapi.Receiver.Received;
        Assert.Equal(["ringing", "ringing", "ended", "ended", "report", "report"], received.Select(message => message.StatusOrReport));
        Assert.Equal(received[0].Body.GetRawText(), received[1].Body.GetRawText());
        Assert.Equal(6, _vapi.Vapi.Counters.WebhooksDelivered);
    }

    [Fact]
    public async Task OutOfOrderWebhooks_SwapNeighbours_AndStillDeliverEverything()
    {
        _vapi.Vapi.Configure(settings => settings with { OutOfOrderWebhooks = true });
        var id = await CreateCallAsync();

        await _vapi.Vapi.AdvanceAsync(id, Cancellation);
        Assert.Empty(_vapi.Receiver.Received);
        await _vapi.Vapi.CompleteAsync(id, VapiCallOutcome.Completed, Cancellation);

        Assert.Equal(["in-progress", "ringing", "report", "ended"], _vapi.Receiver.Received.Select(message => message.StatusOrReport));
    }

    [Fact]
    public async Task FailedDeliveries_AreCounted_NotRetried()
    {
        _vapi.Receiver.Answer = 500;
        var id = await CreateCallAsync();

        await _vapi.Vapi.CompleteAsync(id, VapiCallOutcome.Completed, Cancellation);

        Assert.Equal(4, _vapi.Receiver.Received.Count);
        Assert.Equal(4, _vapi.Vapi.Counters.WebhooksFailed);
        Assert.Equal(0, _vapi.Vapi.Counters.WebhooksDelivered);
        Assert.All(_vapi.Vapi.WebhookAttempts(), attempt => Assert.Equal(500, attempt.StatusCode));
    }

    [Fact]
    public async Task UnreachableServer_CountsAFailure()
    {
        var body = VapiClient.CallBody();
        body["assistantOverrides"]!["server"] = new JsonObject { ["url"] = "http://127.0.0.1:1/unreachable" };
        var id = await CreateCallAsync(body);

        await _vapi.Vapi.CompleteAsync(id, VapiCallOutcome.Busy, Cancellation);

        Assert.Equal(2, _vapi.Vapi.Counters.WebhooksFailed);
        Assert.All(_vapi.Vapi.WebhookAttempts(), attempt => Assert.Null(attempt.StatusCode));
    }

    [Fact]
    public async Task OrgWithoutAServer_SkipsItsMessages()
    {
        _vapi.Vapi.RegisterAccount("key-of-org-without-server");
        var id = (await _vapi.Client.CreateCallOkAsync("key-of-org-without-server")).GetProperty("id").GetString()!;

        await _vapi.Vapi.CompleteAsync(id, VapiCallOutcome.Busy, Cancellation);

        Assert.Equal(2, _vapi.Vapi.Counters.WebhooksSkipped);
        Assert.Empty(_vapi.Receiver.Received);
    }

    private async Task<string> CreateCallAsync(JsonObject? body = null) =>
        (await _vapi.Client.CreateCallOkAsync(VapiFixture.Key, body)).GetProperty("id").GetString()!;
}
