using System.Net;
using System.Text.Json.Nodes;
using CalendarGrains.Sandbox.Vapi;
using CalendarGrains.Sandbox.Vapi.Wire;

namespace CalendarGrains.Sandbox.Tests.Vapi;

public sealed class VapiConcurrencyTests : IClassFixture<VapiFixture>
{
    private const int Limit = 2;
    private readonly VapiFixture _vapi;

    public VapiConcurrencyTests(VapiFixture vapi)
    {
        _vapi = vapi;
        vapi.StartTest(concurrencyLimit: Limit);
    }

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Fact]
    public async Task OverTheLimit_TheCallIsCreatedAndEndsAtOnce_WithItsMessages()
    {
        await FillTheSlotsAsync();

        var blocked = await _vapi.Client.CreateCallOkAsync(VapiFixture.Key);

        var id = blocked.GetProperty("id").GetString()!;
        Assert.Equal(CallStatuses.Ended, blocked.GetProperty("status").GetString());
        Assert.Equal(VapiEmulator.ConcurrencyLimitReachedReason, blocked.GetProperty("endedReason").GetString());
        VapiCreateCallTests.AssertLimits(blocked, blocked: true, limit: Limit, remaining: 0);
        var messages = await _vapi.Receiver.WaitForAsync(received => received.Count(message => message.CallId == id) == 2);
        Assert.Equal(["ended", "report"], messages.Where(message => message.CallId == id).Select(message => message.StatusOrReport));
        Assert.Equal(Limit, _vapi.Vapi.Counters.LiveCalls);
        Assert.Equal(Limit + 1, _vapi.Vapi.Counters.CallsCreated);
    }

    [Fact]
    public async Task OverTheLimit_InLegacyMode_Answers400AndCreatesNothing()
    {
        _vapi.Vapi.Configure(settings => settings with { LegacyConcurrencyError = true });
        await FillTheSlotsAsync();

        using var response = await _vapi.Client.CreateCallAsync(VapiFixture.Key, VapiClient.CallBody());

        var body = await VapiClient.ReadJsonAsync(response);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("Over Concurrency Limit", body.GetProperty("message").GetString());
        Assert.Equal("Bad Request", body.GetProperty("error").GetString());
        Assert.Equal(Limit, _vapi.Vapi.CreatedCalls().Count);
    }

    [Fact]
    public async Task EndingACall_FreesItsSlot()
    {
        var ids = await FillTheSlotsAsync();

        await _vapi.Vapi.CompleteAsync(ids[0], VapiCallOutcome.Completed, Cancellation);
        var next = await _vapi.Client.CreateCallOkAsync(VapiFixture.Key);

        Assert.Equal(CallStatuses.Queued, next.GetProperty("status").GetString());
        VapiCreateCallTests.AssertLimits(next, blocked: false, limit: Limit, remaining: 0);
    }

    [Fact]
    public async Task ManyCallsAtOnce_NeverMoreLiveThanTheLimit()
    {
        const int Attempts = 12;

        var created = await Task.WhenAll(Enumerable.Range(0, Attempts)
            .Select(_ => _vapi.Client.CreateCallOkAsync(VapiFixture.Key)));

        Assert.Equal(Limit, created.Count(call => call.GetProperty("status").GetString() == CallStatuses.Queued));
        Assert.Equal(Attempts - Limit, created.Count(call =>
            call.TryGetProperty("endedReason", out var reason) && reason.GetString() == VapiEmulator.ConcurrencyLimitReachedReason));
        Assert.Equal(Limit, _vapi.Vapi.Counters.MaxLiveCalls);
        Assert.Equal(Limit, _vapi.Vapi.FindAccount(_vapi.OrgId)!.MaxLiveCalls);
    }

    [Fact]
    public async Task HighWaterMark_RemembersThePeakAfterCallsEnd()
    {
        var ids = await FillTheSlotsAsync();
        foreach (var id in ids)
        {
            await _vapi.Vapi.CompleteAsync(id, VapiCallOutcome.Busy, Cancellation);
        }

        var account = _vapi.Vapi.FindAccount(_vapi.OrgId)!;
        Assert.Equal(0, account.LiveCalls);
        Assert.Equal(Limit, account.MaxLiveCalls);
        Assert.Equal(0, _vapi.Vapi.Counters.LiveCalls);
    }

    [Fact]
    public async Task TheLimitIsPerOrg()
    {
        await FillTheSlotsAsync();

        var otherOrgsCall = await _vapi.Client.CreateCallOkAsync(VapiFixture.OtherOrgKey);

        Assert.Equal(CallStatuses.Queued, otherOrgsCall.GetProperty("status").GetString());
    }

    [Fact]
    public async Task AScheduledCall_DueWhileTheSlotsAreTaken_FailsToStart()
    {
        var scheduledBody = VapiClient.CallBody();
        scheduledBody["schedulePlan"] = new JsonObject { ["earliestAt"] = "2999-01-01T00:00:00Z" };
        var scheduled = (await _vapi.Client.CreateCallOkAsync(VapiFixture.Key, scheduledBody)).GetProperty("id").GetString()!;
        await FillTheSlotsAsync();

        var started = await _vapi.Vapi.AdvanceAsync(scheduled, Cancellation);

        Assert.Equal(VapiEmulator.ConcurrencyLimitReachedReason, started.EndedReason);
        Assert.Equal(Limit, _vapi.Vapi.Counters.LiveCalls);
    }

    private async Task<List<string>> FillTheSlotsAsync()
    {
        var ids = new List<string>();
        for (var i = 0; i < Limit; i++)
        {
            var call = await _vapi.Client.CreateCallOkAsync(VapiFixture.Key);
            Assert.Equal(CallStatuses.Queued, call.GetProperty("status").GetString());
            ids.Add(call.GetProperty("id").GetString()!);
        }

        return ids;
    }
}
