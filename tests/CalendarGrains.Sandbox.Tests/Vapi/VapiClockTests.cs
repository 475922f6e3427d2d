using System.Net;
using System.Text.Json.Nodes;
using CalendarGrains.Sandbox.Vapi;
using CalendarGrains.Sandbox.Vapi.Wire;

namespace CalendarGrains.Sandbox.Tests.Vapi;

/// <summary>Everything that depends on time, driven by a fake clock: nothing here waits for real time to pass.</summary>
public sealed class VapiClockTests(FakeClockVapiHost host) : IClassFixture<FakeClockVapiHost>
{
    private static readonly VapiEmulatorSettings Manual = new() { Lifecycle = VapiLifecycleMode.Manual };

    private static readonly VapiEmulatorSettings Automatic = new()
    {
        Lifecycle = VapiLifecycleMode.Automatic,
        QueuedDuration = TimeSpan.FromSeconds(1),
        RingingDuration = TimeSpan.FromSeconds(3),
        InProgressDuration = TimeSpan.FromSeconds(5),
    };

    [Fact]
    public async Task VisibilityDelay_HidesANewCallFromGetAndList_UntilItHasPassed()
    {
        host.StartTest(Manual with { VisibilityDelay = TimeSpan.FromSeconds(2) });
        var id = await CreateCallAsync();

        Assert.Equal(HttpStatusCode.NotFound, await GetStatusAsync(id));
        Assert.Empty(await ListIdsAsync(""));
        host.Clock.Advance(TimeSpan.FromMilliseconds(1999));
        Assert.Equal(HttpStatusCode.NotFound, await GetStatusAsync(id));

        host.Clock.Advance(TimeSpan.FromMilliseconds(1));

        Assert.Equal(HttpStatusCode.OK, await GetStatusAsync(id));
        Assert.Equal([id], await ListIdsAsync(""));
        Assert.NotNull(host.Vapi.FindCall(id));
    }

    [Fact]
    public async Task AutomaticLifecycle_MovesEachCallAsTheClockAdvances()
    {
        host.StartTest(Automatic);
        var createdAt = host.Clock.GetUtcNow();
        var id = await CreateCallAsync();

        host.Clock.Advance(TimeSpan.FromMilliseconds(999));
        Assert.Equal(CallStatuses.Queued, host.Vapi.FindCall(id)!.Status);
        host.Clock.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(CallStatuses.Ringing, host.Vapi.FindCall(id)!.Status);
        await host.Receiver.WaitForCountAsync(1);
        host.Clock.Advance(TimeSpan.FromSeconds(3));
        Assert.Equal(CallStatuses.InProgress, host.Vapi.FindCall(id)!.Status);
        await host.Receiver.WaitForCountAsync(2);
        host.Clock.Advance(TimeSpan.FromSeconds(5));

        var received = await host.Receiver.WaitForCountAsync(4);
        Assert.Equal(["ringing", "in-progress", "ended", "report"], received.Select(message => message.StatusOrReport));
        var call = host.Vapi.FindCall(id)!;
        Assert.Equal(createdAt.AddSeconds(1), call.StartedAt);
        Assert.Equal(createdAt.AddSeconds(9), call.EndedAt);
        Assert.Equal(0.0105, call.Cost);
        Assert.Equal(createdAt.AddSeconds(1).ToUnixTimeMilliseconds(), received[0].Message.GetProperty("timestamp").GetInt64());
        Assert.Equal(0, host.Vapi.Counters.LiveCalls);
    }

    [Fact]
    public async Task ManualMode_TimeAloneMovesNothing()
    {
        host.StartTest(Manual);
        var id = await CreateCallAsync();

        host.Clock.Advance(TimeSpan.FromHours(1));

        Assert.Equal(CallStatuses.Queued, host.Vapi.FindCall(id)!.Status);
        await host.Vapi.FlushWebhooksAsync(TestContext.Current.CancellationToken);
        Assert.Empty(host.Receiver.Received);
    }

    [Fact]
    public async Task SwitchingToAutomatic_SetsWaitingCallsMoving()
    {
        host.StartTest(Manual);
        var id = await CreateCallAsync();

        host.Vapi.Configure(_ => Automatic);
        host.Clock.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal(CallStatuses.Ringing, host.Vapi.FindCall(id)!.Status);
    }

    [Fact]
    public async Task ScheduledCall_WaitsUntilItsEarliestTime_ThenQueues()
    {
        host.StartTest(Automatic);
        var body = VapiClient.CallBody();
        body["schedulePlan"] = new JsonObject { ["earliestAt"] = host.Clock.GetUtcNow().AddMinutes(10).ToString("O") };
        var id = await CreateCallAsync(body);

        host.Clock.Advance(TimeSpan.FromMinutes(10) - TimeSpan.FromMilliseconds(1));
        Assert.Equal(CallStatuses.Scheduled, host.Vapi.FindCall(id)!.Status);
        host.Clock.Advance(TimeSpan.FromMilliseconds(1));

        Assert.Equal(CallStatuses.Queued, host.Vapi.FindCall(id)!.Status);
        Assert.Equal(1, host.Vapi.Counters.LiveCalls);
        var received = await host.Receiver.WaitForCountAsync(1);
        Assert.Equal("queued", received[0].StatusOrReport);
        host.Clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(CallStatuses.Ringing, host.Vapi.FindCall(id)!.Status);
    }

    [Fact]
    public async Task ListCalls_FiltersByCreationAndUpdateTimes_AtMillisecondPrecision()
    {
        host.StartTest(Manual);
        var a = host.Vapi.FindCall(await CreateCallAsync())!;
        host.Clock.Advance(TimeSpan.FromSeconds(1));
        var b = host.Vapi.FindCall(await CreateCallAsync())!;
        host.Clock.Advance(TimeSpan.FromSeconds(1));
        var c = host.Vapi.FindCall(await CreateCallAsync())!;
        host.Clock.Advance(TimeSpan.FromSeconds(1));
        await host.Vapi.AdvanceAsync(a.Id, TestContext.Current.CancellationToken);

        Assert.Equal([c.Id, b.Id], await ListIdsAsync($"?createdAtGt={Iso(a.CreatedAt)}"));
        Assert.Equal([b.Id, a.Id], await ListIdsAsync($"?createdAtLe={Iso(b.CreatedAt)}"));
        Assert.Equal([b.Id], await ListIdsAsync($"?createdAtGe={Iso(b.CreatedAt)}&createdAtLt={Iso(c.CreatedAt)}"));
        Assert.Equal([a.Id], await ListIdsAsync($"?updatedAtGt={Iso(c.UpdatedAt)}"));
        Assert.Equal([b.Id], await ListIdsAsync($"?updatedAtGe={Iso(b.UpdatedAt)}&updatedAtLe={Iso(b.UpdatedAt)}"));
        Assert.Equal([c.Id, b.Id], await ListIdsAsync($"?updatedAtLt={Iso(a.CreatedAt.AddSeconds(3))}"));
    }

    private static string Iso(DateTimeOffset time) => Uri.EscapeDataString(time.ToString("yyyy-MM-ddTHH:mm:ss.fffZ"));

    private async Task<string> CreateCallAsync(JsonObject? body = null) =>
        (await host.Client.CreateCallOkAsync(VapiFixture.Key, body)).GetProperty("id").GetString()!;

    private async Task<HttpStatusCode> GetStatusAsync(string id)
    {
        using var response = await host.Client.GetCallAsync(VapiFixture.Key, id);
        return response.StatusCode;
    }

    private async Task<List<string>> ListIdsAsync(string query)
    {
        using var response = await host.Client.ListCallsAsync(VapiFixture.Key, query);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return VapiQueryTests.Ids(await VapiClient.ReadJsonAsync(response));
    }
}
