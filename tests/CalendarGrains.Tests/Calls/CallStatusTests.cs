using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using CalendarGrains.Calls;
using CalendarGrains.Sandbox.Vapi;
using CalendarGrains.Silo.Calls;
using CalendarGrains.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace CalendarGrains.Tests.Calls;

/// <summary>Following a call to its end: Vapi's server messages (authenticated, monotonic), polling, cancel, tenancy.</summary>
public sealed class CallStatusTests(CallsHostFixture fixture) : IClassFixture<CallsHostFixture>
{
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;

    [Fact]
    public async Task LateDuplicateAndOutOfOrderMessages_NeverMoveACallBackwards_AndEndedIsFinal()
    {
        fixture.Vapi.Use(EmulatorSettings.Manual);
        using var scenario = await CallScenario.StartAsync(fixture.Host, fixture.Vapi);
        var call = await scenario.PlaceAcceptedAsync();
        var vapiCallId = (await scenario.WaitForStatusAsync(call.Id, CallStatus.Queued)).VapiCallId!;

        async Task SendAsync(object message) => Assert.Equal(HttpStatusCode.OK, (await scenario.PostEventAsync(message)).StatusCode);

        await SendAsync(CallScenario.StatusUpdate(vapiCallId, call.Id, "in-progress"));
        await scenario.WaitForStatusAsync(call.Id, CallStatus.InProgress);
        await SendAsync(CallScenario.StatusUpdate(vapiCallId, call.Id, "ringing"));          // late
        await SendAsync(CallScenario.StatusUpdate(vapiCallId, call.Id, "in-progress"));      // twice
        await SendAsync(CallScenario.StatusUpdate(vapiCallId, call.Id, "queued"));           // older still
        await SendAsync(CallScenario.EndOfCallReport(vapiCallId, call.Id, "customer-ended-call", 0.42)); // before its status-update
        var ended = await scenario.WaitForStatusAsync(call.Id, CallStatus.Ended);
        await SendAsync(CallScenario.StatusUpdate(vapiCallId, call.Id, "ended", "customer-ended-call"));
        await SendAsync(CallScenario.StatusUpdate(vapiCallId, call.Id, "forwarding"));
        await SendAsync(CallScenario.StatusUpdate(vapiCallId, call.Id, "ringing"));

        // The messages are applied one way: a final read through a marker message proves they were all taken.
        await SendAsync(CallScenario.EndOfCallReport(vapiCallId, call.Id, "customer-ended-call", 0.5));
        var final = await scenario.WaitForAsync(call.Id, c => c.Cost == 0.5, "the last report applied");
        Assert.Equal(CallStatus.Ended, final.Status);
        Assert.Equal(
            [CallStatus.Pending, CallStatus.Dispatching, CallStatus.Queued, CallStatus.InProgress, CallStatus.Ended],
            final.StatusHistory.Select(change => change.Status));
        Assert.Equal("customer-ended-call", final.EndedReason);
        Assert.Equal(DateTimeOffset.Parse("2026-01-01T10:01:00Z", System.Globalization.CultureInfo.InvariantCulture), final.EndedAt);
        Assert.Equal(ended.StatusHistory[^1].At, final.StatusHistory[^1].At);
    }

    [Fact]
    public async Task EmulatorSendingEveryMessageTwiceAndOutOfOrder_CallsStillOnlyMoveForward()
    {
        fixture.Vapi.Use(EmulatorSettings.Fast with { DuplicateWebhooks = true, OutOfOrderWebhooks = true });
        using var scenario = await CallScenario.StartAsync(fixture.Host, fixture.Vapi);
        var calls = new List<CallResource>();
        for (var i = 0; i < 5; i++)
        {
            calls.Add(await scenario.PlaceAcceptedAsync(scenario.Body($"+1555020{i}")));
        }

        foreach (var call in calls)
        {
            var ended = await scenario.WaitForAsync(call.Id, c => c.Status == CallStatus.Ended && c.Cost is not null, "ended with its report");
            var statuses = ended.StatusHistory.Select(change => change.Status).ToList();
            Assert.Equal(statuses.Order(), statuses);
            Assert.Equal(statuses.Count, statuses.Distinct().Count());
            Assert.Equal(CallStatus.Ended, statuses[^1]);
            Assert.Equal("customer-ended-call", ended.EndedReason);
        }
    }

    [Fact]
    public async Task WhenVapiSendsNoMessages_PollingFollowsTheCallToTheEnd_AndA404SoonAfterCreationIsNotTheEnd()
    {
        // Vapi sends nothing, and shows a new call only after 5 s, inside an 8 s grace. Its own host:
        // with the shared fixture's 3 s grace the window was 2.5 s, and a full CI run under load
        // once polled for the first time only after it (so the 404 path went unexercised).
        var settings = CallsHostFixture.FastCalls();
        settings["Calls:VisibilityGrace"] = "00:00:08";
        await using var host = await ServiceHost.StartAsync(settings, CallsHostFixture.FastReminders);
        var vapi = host.Services.GetRequiredService<VapiEmulator>();
        vapi.Use(EmulatorSettings.Manual with { WebhooksEnabled = false, VisibilityDelay = TimeSpan.FromSeconds(5) });
        using var scenario = await CallScenario.StartAsync(host, vapi);
        var call = await scenario.PlaceAcceptedAsync();
        var queued = await scenario.WaitForStatusAsync(call.Id, CallStatus.Queued);
        var notVisible = $"Call {call.Id}: Vapi does not show {queued.VapiCallId} yet";
        await Eventually.HoldsAsync(() => Task.FromResult(host.Logs.All.Contains(notVisible, StringComparison.Ordinal)), TimeSpan.FromSeconds(10), "a poll answered 404 inside the visibility delay, and the call went on");

        await vapi.CompleteAsync(queued.VapiCallId!, VapiCallOutcome.Voicemail, _ct);

        var ended = await scenario.WaitForAsync(call.Id, c => c.Status == CallStatus.Ended, "ended, learnt by polling", TimeSpan.FromSeconds(30));
        Assert.Equal("voicemail", ended.EndedReason);
        Assert.NotNull(ended.Cost);
        Assert.NotNull(ended.EndedAt);
        Assert.DoesNotContain(ended.StatusHistory, change => change.Status == CallStatus.Failed);
    }

    [Fact]
    public async Task WrongOrMissingVapiSecret_Is401_AndTheCallDoesNotMove()
    {
        fixture.Vapi.Use(EmulatorSettings.Manual);
        using var scenario = await CallScenario.StartAsync(fixture.Host, fixture.Vapi);
        using var other = await CallScenario.StartAsync(fixture.Host, fixture.Vapi);
        var call = await scenario.PlaceAcceptedAsync();
        var vapiCallId = (await scenario.WaitForStatusAsync(call.Id, CallStatus.Queued)).VapiCallId!;
        var ended = CallScenario.StatusUpdate(vapiCallId, call.Id, "ended", "customer-ended-call");

        foreach (var secret in new[] { "vss_wrong", "", other.Tenant.VapiServerSecret, scenario.Tenant.VapiServerSecret + "x" })
        {
            var response = await scenario.PostEventAsync(ended, secret);
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }

        var unknownTenant = await scenario.PostEventAsync(ended, scenario.Tenant.VapiServerSecret, tenantId: "ten_00000000000000000000000000");
        Assert.Equal(HttpStatusCode.Unauthorized, unknownTenant.StatusCode);

        // A marker with the right secret shows what was applied before it: nothing.
        Assert.Equal(HttpStatusCode.OK, (await scenario.PostEventAsync(CallScenario.StatusUpdate(vapiCallId, call.Id, "ringing"))).StatusCode);
        var after = await scenario.WaitForStatusAsync(call.Id, CallStatus.Ringing);
        Assert.DoesNotContain(after.StatusHistory, change => change.Status == CallStatus.Ended);
    }

    [Fact]
    public async Task AnotherTenantsCall_Is404_AndItsMessagesCannotReachIt()
    {
        fixture.Vapi.Use(EmulatorSettings.Manual);
        using var mine = await CallScenario.StartAsync(fixture.Host, fixture.Vapi);
        using var theirs = await CallScenario.StartAsync(fixture.Host, fixture.Vapi);
        var call = await theirs.PlaceAcceptedAsync();
        var vapiCallId = (await theirs.WaitForStatusAsync(call.Id, CallStatus.Queued)).VapiCallId!;

        Assert.Equal(HttpStatusCode.NotFound, (await mine.Client.GetAsync($"/v1/calls/{call.Id}", _ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await mine.Client.PostAsync($"/v1/calls/{call.Id}/cancel", null, _ct)).StatusCode);
        Assert.DoesNotContain(call.Id, await mine.Client.GetStringAsync("/v1/calls", _ct), StringComparison.Ordinal);
        Assert.DoesNotContain(call.Id, await mine.Client.GetStringAsync($"/v1/calls?connectionId={theirs.ConnectionId}", _ct), StringComparison.Ordinal);

        // My Vapi, my secret, their call id in the metadata: not applied to their call.
        Assert.Equal(HttpStatusCode.OK, (await mine.PostEventAsync(CallScenario.StatusUpdate(vapiCallId, call.Id, "ended", "customer-ended-call"))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await theirs.PostEventAsync(CallScenario.StatusUpdate(vapiCallId, call.Id, "ringing"))).StatusCode);
        var after = await theirs.WaitForStatusAsync(call.Id, CallStatus.Ringing);
        Assert.DoesNotContain(after.StatusHistory, change => change.Status == CallStatus.Ended);
    }

    [Fact]
    public async Task Cancel_WorksOnlyWhilePending_AndACanceledCallIsNeverDialled()
    {
        fixture.Vapi.Use(EmulatorSettings.Manual);
        using var scenario = await CallScenario.StartAsync(fixture.Host, fixture.Vapi, concurrencyLimit: 1);
        var later = await scenario.PlaceAcceptedAsync(scenario.Body("+15550100", ("scheduledAt", TimeProvider.System.GetUtcNow().AddHours(1))));
        var now = await scenario.PlaceAcceptedAsync(scenario.Body("+15550101"));
        var nowQueued = await scenario.WaitForStatusAsync(now.Id, CallStatus.Queued);
        var waiting = await scenario.PlaceAcceptedAsync(scenario.Body("+15550102"));
        var next = await scenario.PlaceAcceptedAsync(scenario.Body("+15550103"));

        var canceled = await scenario.Client.PostAsync($"/v1/calls/{later.Id}/cancel", null, _ct);
        var again = await scenario.Client.PostAsync($"/v1/calls/{later.Id}/cancel", null, _ct);
        var inLine = await scenario.Client.PostAsync($"/v1/calls/{waiting.Id}/cancel", null, _ct);
        var tooLate = await scenario.Client.PostAsync($"/v1/calls/{now.Id}/cancel", null, _ct);

        Assert.Equal(HttpStatusCode.OK, canceled.StatusCode);
        Assert.Equal(CallStatus.Canceled, (await canceled.Content.ReadFromJsonAsync<CallResource>(_ct))!.Status);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(HttpStatusCode.OK, inLine.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, tooLate.StatusCode);
        using var problem = JsonDocument.Parse(await tooLate.Content.ReadAsStringAsync(_ct));
        Assert.Equal("call_not_cancelable", problem.RootElement.GetProperty("code").GetString());
        Assert.Equal(CallStatus.Queued, (await scenario.GetAsync(now.Id)).Status);

        // The slot frees: the line skips the canceled call and goes on with the next one.
        await fixture.Vapi.CompleteAsync(nowQueued.VapiCallId!, VapiCallOutcome.Completed, _ct);
        await scenario.WaitForStatusAsync(next.Id, CallStatus.Queued);
        Assert.Equal([now.Id, next.Id], scenario.CreatedCalls().Select(CallScenario.OurCallId));
        var listed = await scenario.ListAsync("?status=canceled");
        Assert.Equal([later.Id, waiting.Id], listed.Data.Select(call => call.Id).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task EndOfCallReportOfSeveralMegabytes_IsAccepted_WhileOtherRoutesKeepTheir64KiBLimit()
    {
        fixture.Vapi.Use(EmulatorSettings.Manual);
        using var scenario = await CallScenario.StartAsync(fixture.Host, fixture.Vapi);
        var call = await scenario.PlaceAcceptedAsync();
        var vapiCallId = (await scenario.WaitForStatusAsync(call.Id, CallStatus.Queued)).VapiCallId!;
        var transcript = string.Join('\n', Enumerable.Repeat("User: I would like to move my appointment to Thursday afternoon, please.", 40_000));

        var report = await scenario.PostEventAsync(CallScenario.EndOfCallReport(vapiCallId, call.Id, "assistant-ended-call", 1.25, transcript));

        Assert.Equal(HttpStatusCode.OK, report.StatusCode);
        var ended = await scenario.WaitForStatusAsync(call.Id, CallStatus.Ended);
        Assert.Equal("assistant-ended-call", ended.EndedReason);
        Assert.Equal(1.25, ended.Cost);

        var overLimit = await scenario.PostEventAsync(new { type = "end-of-call-report", padding = new string('x', 5 * 1024 * 1024) });
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, overLimit.StatusCode);
        var bigCall = await scenario.Client.PostAsync(
            "/v1/calls", new StringContent($"{{\"connectionId\":\"{new string('x', 70 * 1024)}\"}}", Encoding.UTF8, "application/json"), _ct);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, bigCall.StatusCode);
    }

    [Fact]
    public async Task MessagesWithoutOurIdInTheMetadata_AreRoutedByTheVapiCallId()
    {
        fixture.Vapi.Use(EmulatorSettings.Manual);
        using var scenario = await CallScenario.StartAsync(fixture.Host, fixture.Vapi);
        var call = await scenario.PlaceAcceptedAsync();
        var vapiCallId = (await scenario.WaitForStatusAsync(call.Id, CallStatus.Queued)).VapiCallId!;

        var bare = new { type = "status-update", status = "ringing", call = new { id = vapiCallId } };
        Assert.Equal(HttpStatusCode.OK, (await scenario.PostEventAsync(bare)).StatusCode);

        await scenario.WaitForStatusAsync(call.Id, CallStatus.Ringing);
        var ignored = await scenario.PostEventAsync(new { type = "transcript", transcript = "hello", call = new { id = vapiCallId } });
        Assert.Equal(HttpStatusCode.OK, ignored.StatusCode);
    }
}
