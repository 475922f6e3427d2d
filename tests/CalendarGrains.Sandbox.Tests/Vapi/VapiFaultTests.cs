using System.Net;
using CalendarGrains.Sandbox.Vapi.Wire;

namespace CalendarGrains.Sandbox.Tests.Vapi;

public sealed class VapiFaultTests : IClassFixture<VapiFixture>
{
    private readonly VapiFixture _vapi;

    public VapiFaultTests(VapiFixture vapi)
    {
        _vapi = vapi;
        vapi.StartTest();
    }

    [Theory]
    [InlineData(500, "Internal server error", "Internal Server Error")]
    [InlineData(503, "Service Unavailable", "Service Unavailable")]
    [InlineData(429, "ThrottlerException: Too Many Requests", "Too Many Requests")]
    public async Task FailNext_AnswersTheStatusInVapisShape_CreatesNothing_ThenRecovers(int status, string message, string error)
    {
        _vapi.Vapi.FailNextCreateCalls(1, status);

        using var failed = await _vapi.Client.CreateCallAsync(VapiFixture.Key, VapiClient.CallBody());
        var body = await VapiClient.ReadJsonAsync(failed);
        Assert.Equal(status, (int)failed.StatusCode);
        Assert.Equal(message, body.GetProperty("message").GetString());
        Assert.Equal(error, body.GetProperty("error").GetString());
        Assert.Equal(status, body.GetProperty("statusCode").GetInt32());
        Assert.Empty(_vapi.Vapi.CreatedCalls());

        await _vapi.Client.CreateCallOkAsync(VapiFixture.Key);
        Assert.Equal(2, _vapi.Vapi.Counters.CreateCallAttempts);
        Assert.Equal(1, _vapi.Vapi.Counters.CallsCreated);
    }

    [Fact]
    public async Task FailNext_429_CanCarryRetryAfter()
    {
        _vapi.Vapi.FailNextCreateCalls(2, 429, TimeSpan.FromSeconds(2));

        using var first = await _vapi.Client.CreateCallAsync(VapiFixture.Key, VapiClient.CallBody());
        using var second = await _vapi.Client.CreateCallAsync(VapiFixture.Key, VapiClient.CallBody());
        using var third = await _vapi.Client.CreateCallAsync(VapiFixture.Key, VapiClient.CallBody());

        Assert.Equal(HttpStatusCode.TooManyRequests, first.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(2), first.Headers.RetryAfter?.Delta);
        Assert.Equal(HttpStatusCode.TooManyRequests, second.StatusCode);
        Assert.Equal(HttpStatusCode.Created, third.StatusCode);
    }

    [Fact]
    public async Task FailNext_IsNotSpentOnUnauthenticatedRequests()
    {
        _vapi.Vapi.FailNextCreateCalls(1, 500);

        using var unauthenticated = await _vapi.Client.CreateCallAsync("unknown-key", VapiClient.CallBody());
        using var failed = await _vapi.Client.CreateCallAsync(VapiFixture.Key, VapiClient.CallBody());

        Assert.Equal(HttpStatusCode.Unauthorized, unauthenticated.StatusCode);
        Assert.Equal(HttpStatusCode.InternalServerError, failed.StatusCode);
    }

    [Fact]
    public async Task DroppedResponse_TheClientSeesAFailure_YetTheCallExistsAndProceeds()
    {
        _vapi.Vapi.DropNextCreateCallResponses(1);

        await Assert.ThrowsAnyAsync<HttpRequestException>(() =>
            _vapi.Client.CreateCallAsync(VapiFixture.Key, VapiClient.CallBody(ourCallId: "call_dropped")));

        using var list = await _vapi.Client.ListCallsAsync(VapiFixture.Key);
        var call = Assert.Single((await VapiClient.ReadJsonAsync(list)).EnumerateArray());
        Assert.Equal("call_dropped", call.GetProperty("assistantOverrides").GetProperty("metadata").GetProperty("callId").GetString());
        Assert.Equal(CallStatuses.Queued, call.GetProperty("status").GetString());
        Assert.Equal(1, _vapi.Vapi.Counters.LiveCalls);

        var moved = await _vapi.Vapi.AdvanceAsync(call.GetProperty("id").GetString()!, TestContext.Current.CancellationToken);
        Assert.Equal(CallStatuses.Ringing, moved.Status);
        await _vapi.Client.CreateCallOkAsync(VapiFixture.Key);
    }

    [Fact]
    public async Task DroppedResponse_IsNotSpentOnRejectedRequests()
    {
        _vapi.Vapi.DropNextCreateCallResponses(1);
        var invalid = VapiClient.CallBody();
        invalid["metadata"] = new System.Text.Json.Nodes.JsonObject();

        using var rejected = await _vapi.Client.CreateCallAsync(VapiFixture.Key, invalid);

        Assert.Equal(HttpStatusCode.BadRequest, rejected.StatusCode);
        await Assert.ThrowsAnyAsync<HttpRequestException>(() => _vapi.Client.CreateCallAsync(VapiFixture.Key, VapiClient.CallBody()));
    }
}
