using System.Diagnostics;
using System.Net;

namespace CalendarGrains.Sandbox.Tests.Google;

/// <summary>Expiry follows the injected clock: time moves only when a test advances it.</summary>
public sealed class GoogleClockTests(FakeClockEmulatorFixture emulators) : IClassFixture<FakeClockEmulatorFixture>
{
    [Fact]
    public async Task Code_WorksJustBeforeTenMinutes_AndExpiresAtTenMinutes()
    {
        var client = GoogleTestClient.Register(emulators);
        var early = client.Authorize();
        var earlyCode = await client.ConsentAsync(early, "early@example.com");
        var late = client.Authorize();
        var lateCode = await client.ConsentAsync(late, "late@example.com");

        emulators.Clock.Advance(TimeSpan.FromMinutes(10) - TimeSpan.FromSeconds(1));
        var beforeExpiry = await client.ExchangeAsync(earlyCode, early.Verifier);
        emulators.Clock.Advance(TimeSpan.FromSeconds(1));
        var atExpiry = await client.ExchangeAsync(lateCode, late.Verifier);

        Assert.Equal(HttpStatusCode.OK, beforeExpiry.Status);
        Assert.Equal(HttpStatusCode.BadRequest, atExpiry.Status);
        Assert.Equal("invalid_grant", atExpiry.Error);
    }

    [Fact]
    public async Task AccessToken_ExpiresAfterItsLifetime_AndARefreshGivesALiveOne()
    {
        var client = GoogleTestClient.Register(emulators);
        var tokens = await client.ConnectAsync("expiry@example.com");

        emulators.Clock.Advance(TimeSpan.FromSeconds(3598));
        var stillLive = await client.UserInfoAsync(tokens.AccessToken);
        emulators.Clock.Advance(TimeSpan.FromSeconds(1));
        var expired = await client.UserInfoAsync(tokens.AccessToken);
        var refreshed = await client.RefreshAsync(tokens.RefreshToken!);

        Assert.Equal(HttpStatusCode.OK, stillLive.Status);
        Assert.Equal(HttpStatusCode.Unauthorized, expired.Status);
        Assert.Null(emulators.Google.ValidateAccessToken(tokens.AccessToken));
        Assert.Equal("expiry@example.com", emulators.Google.ValidateAccessToken(refreshed.AccessToken));
    }

    [Fact]
    public async Task AccessTokenLifetime_IsConfigurable()
    {
        var client = GoogleTestClient.Register(emulators);
        emulators.Google.AccessTokenLifetime = TimeSpan.FromSeconds(60);
        try
        {
            var tokens = await client.ConnectAsync("short@example.com");
            emulators.Clock.Advance(TimeSpan.FromSeconds(60));

            Assert.Equal(60, tokens.Body.GetProperty("expires_in").GetInt32());
            Assert.Null(emulators.Google.ValidateAccessToken(tokens.AccessToken));
        }
        finally
        {
            emulators.Google.AccessTokenLifetime = CalendarGrains.Sandbox.Google.GoogleEmulator.DefaultAccessTokenLifetime;
        }
    }

    [Fact]
    public async Task Latency_HoldsTheAnswerUntilTheInjectedClockHasMovedPastIt()
    {
        var client = GoogleTestClient.Register(emulators);
        var tokens = await client.ConnectAsync("slow@example.com");
        emulators.Google.Latency = TimeSpan.FromSeconds(30);
        try
        {
            var start = emulators.Clock.GetUtcNow();
            var refresh = client.RefreshAsync(tokens.RefreshToken!);

            // Move fake time a second at a time until the answer arrives (bounded by a real deadline).
            var deadline = Stopwatch.StartNew();
            while (!refresh.IsCompleted && deadline.Elapsed < TimeSpan.FromSeconds(10))
            {
                emulators.Clock.Advance(TimeSpan.FromSeconds(1));
                await Task.WhenAny(refresh, Task.Delay(5, TestContext.Current.CancellationToken));
            }

            Assert.Equal(HttpStatusCode.OK, (await refresh).Status);
            Assert.True(emulators.Clock.GetUtcNow() - start >= TimeSpan.FromSeconds(30), "The answer came before the latency had passed.");
        }
        finally
        {
            emulators.Google.Latency = TimeSpan.Zero;
        }
    }
}
