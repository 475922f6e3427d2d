using System.Diagnostics;
using System.Net;

namespace CalendarGrains.Sandbox.Tests.Google;

public sealed class GoogleFaultInjectionTests(EmulatorFixture emulators) : IClassFixture<EmulatorFixture>
{
    [Fact]
    public async Task FailNext_503_FailsThatManyTokenRequests_ThenSucceeds()
    {
        var client = GoogleTestClient.Register(emulators);
        var tokens = await client.ConnectAsync("flaky@example.com");
        var before = emulators.Google.GetStats().TokenRequests;

        emulators.Google.FailNext(2, 503);
        var first = await client.RefreshAsync(tokens.RefreshToken!);
        var second = await client.RefreshAsync(tokens.RefreshToken!);
        var third = await client.RefreshAsync(tokens.RefreshToken!);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, first.Status);
        Assert.Equal("application/json", first.MediaType);
        Assert.Equal("UNAVAILABLE", first.Body.GetProperty("error").GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.ServiceUnavailable, second.Status);
        Assert.Equal(HttpStatusCode.OK, third.Status);
        Assert.Equal(before + 3, emulators.Google.GetStats().TokenRequests);
    }

    [Fact]
    public async Task FailNext_429_AnswersGooglesResourceExhausted()
    {
        var client = GoogleTestClient.Register(emulators);

        emulators.Google.FailNext(1, 429);
        var answer = await client.RefreshAsync("1//anything");

        Assert.Equal(HttpStatusCode.TooManyRequests, answer.Status);
        Assert.Equal(429, answer.Body.GetProperty("error").GetProperty("code").GetInt32());
        Assert.Equal("RESOURCE_EXHAUSTED", answer.Body.GetProperty("error").GetProperty("status").GetString());
    }

    [Fact]
    public async Task FailNext_WithAnErrorCode_AnswersAnOAuthErrorBody()
    {
        var client = GoogleTestClient.Register(emulators);
        var tokens = await client.ConnectAsync("injected@example.com");

        emulators.Google.FailNext(1, 400, "invalid_grant", "Token has been expired or revoked.");
        var injected = await client.RefreshAsync(tokens.RefreshToken!);
        var after = await client.RefreshAsync(tokens.RefreshToken!);

        Assert.Equal(HttpStatusCode.BadRequest, injected.Status);
        Assert.Equal("invalid_grant", injected.Error);
        Assert.Equal("Token has been expired or revoked.", injected.ErrorDescription);
        Assert.Equal(HttpStatusCode.OK, after.Status);
    }

    [Fact]
    public async Task Latency_DelaysTheTokenEndpoint()
    {
        var client = GoogleTestClient.Register(emulators);
        var tokens = await client.ConnectAsync("latency@example.com");
        emulators.Google.Latency = TimeSpan.FromMilliseconds(300);
        try
        {
            var stopwatch = Stopwatch.StartNew();
            var answer = await client.RefreshAsync(tokens.RefreshToken!);

            Assert.Equal(HttpStatusCode.OK, answer.Status);
            Assert.True(stopwatch.Elapsed >= TimeSpan.FromMilliseconds(250), $"Answered after {stopwatch.Elapsed}.");
        }
        finally
        {
            emulators.Google.Latency = TimeSpan.Zero;
        }
    }

    [Fact]
    public async Task Stats_CountEachKindOfCall()
    {
        var client = GoogleTestClient.Register(emulators);
        var before = emulators.Google.GetStats();

        var tokens = await client.ConnectAsync("counted@example.com");
        await client.RefreshAsync(tokens.RefreshToken!);
        await client.RefreshAsync("1//unknown");
        await client.UserInfoAsync(tokens.AccessToken);
        await client.RevokeAsync(tokens.RefreshToken!);
        var after = emulators.Google.GetStats();

        Assert.Equal(3, after.TokenRequests - before.TokenRequests);
        Assert.Equal(1, after.CodeExchanges - before.CodeExchanges);
        Assert.Equal(1, after.RefreshGrants - before.RefreshGrants);
        Assert.Equal(1, after.UserInfoCalls - before.UserInfoCalls);
        Assert.Equal(1, after.Revocations - before.Revocations);
    }
}
