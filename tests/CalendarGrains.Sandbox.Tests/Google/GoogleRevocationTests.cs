using System.Net;

namespace CalendarGrains.Sandbox.Tests.Google;

public sealed class GoogleRevocationTests(EmulatorFixture emulators) : IClassFixture<EmulatorFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task RevokeRefreshToken_InBodyOrQuery_KillsTheWholeGrant(bool inQuery)
    {
        var client = GoogleTestClient.Register(emulators);
        var tokens = await client.ConnectAsync($"revoke-{inQuery}@example.com");

        var revoked = await client.RevokeAsync(tokens.RefreshToken!, inQuery);

        Assert.Equal(HttpStatusCode.OK, revoked.Status);
        Assert.Equal("invalid_grant", (await client.RefreshAsync(tokens.RefreshToken!)).Error);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.UserInfoAsync(tokens.AccessToken)).Status);
    }

    [Fact]
    public async Task RevokeAccessToken_AlsoRevokesTheRefreshToken()
    {
        var client = GoogleTestClient.Register(emulators);
        var tokens = await client.ConnectAsync("revoke-access@example.com");

        var revoked = await client.RevokeAsync(tokens.AccessToken);

        Assert.Equal(HttpStatusCode.OK, revoked.Status);
        Assert.Equal("invalid_grant", (await client.RefreshAsync(tokens.RefreshToken!)).Error);
    }

    [Fact]
    public async Task RevokeTwice_IsInvalidTokenTheSecondTime()
    {
        var client = GoogleTestClient.Register(emulators);
        var tokens = await client.ConnectAsync("twice@example.com");

        var first = await client.RevokeAsync(tokens.RefreshToken!);
        var second = await client.RevokeAsync(tokens.RefreshToken!);

        Assert.Equal(HttpStatusCode.OK, first.Status);
        Assert.Equal(HttpStatusCode.BadRequest, second.Status);
        Assert.Equal("application/json", second.MediaType);
        Assert.Equal("invalid_token", second.Error);
        Assert.Equal("Token expired or revoked", second.ErrorDescription);
    }

    [Fact]
    public async Task AfterRevocation_TheNextConsentCountsAsFirstAndIssuesARefreshToken()
    {
        var client = GoogleTestClient.Register(emulators);
        var tokens = await client.ConnectAsync("reconnect@example.com", new AuthorizeOptions { Prompt = null });
        await client.RevokeAsync(tokens.RefreshToken!);

        var again = await client.ConnectAsync("reconnect@example.com", new AuthorizeOptions { Prompt = null });

        Assert.NotNull(again.RefreshToken);
    }

    [Fact]
    public async Task RevokeUser_KillsEveryGrantOfThatUserOnly()
    {
        var client = GoogleTestClient.Register(emulators);
        var otherClient = GoogleTestClient.Register(emulators);
        var victim = await client.ConnectAsync("leaving@example.com");
        var victimElsewhere = await otherClient.ConnectAsync("leaving@example.com");
        var bystander = await client.ConnectAsync("staying@example.com");

        var revoked = emulators.Google.RevokeUser("Leaving@Example.com");

        Assert.Equal(2, revoked);
        Assert.Equal("invalid_grant", (await client.RefreshAsync(victim.RefreshToken!)).Error);
        Assert.Equal("invalid_grant", (await otherClient.RefreshAsync(victimElsewhere.RefreshToken!)).Error);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.UserInfoAsync(victim.AccessToken)).Status);
        Assert.Null(emulators.Google.ValidateAccessToken(victim.AccessToken));
        Assert.Equal(HttpStatusCode.OK, (await client.RefreshAsync(bystander.RefreshToken!)).Status);
    }

    [Fact]
    public async Task RevokeUser_OverTheControlSurface_KillsTheGrant()
    {
        var client = GoogleTestClient.Register(emulators);
        var tokens = await client.ConnectAsync("control-revoke@example.com");

        using var response = await emulators.Http.PostAsync("/google/_emulator/users/control-revoke%40example.com/revoke", content: null, Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("invalid_grant", (await client.RefreshAsync(tokens.RefreshToken!)).Error);
    }

    [Fact]
    public async Task RevokeWithoutToken_IsInvalidRequest()
    {
        using var response = await emulators.Http.PostAsync("/google/revoke", content: null, Ct);
        var answer = await OAuthAnswer.ReadAsync(response, Ct);

        Assert.Equal(HttpStatusCode.BadRequest, answer.Status);
        Assert.Equal("invalid_request", answer.Error);
    }
}
