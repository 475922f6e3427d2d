using System.Net;
using System.Text.Json;

namespace CalendarGrains.Sandbox.Tests.Google;

public sealed class GoogleUserInfoTests(EmulatorFixture emulators) : IClassFixture<EmulatorFixture>
{
    [Fact]
    public async Task UserInfo_AnswersTheAccountOfTheToken()
    {
        var client = GoogleTestClient.Register(emulators);
        var tokens = await client.ConnectAsync("Ada.Lovelace@Example.com");

        var info = await client.UserInfoAsync(tokens.AccessToken);

        Assert.Equal(HttpStatusCode.OK, info.Status);
        Assert.Equal("ada.lovelace@example.com", info.Text("email"));
        Assert.True(info.Body.GetProperty("email_verified").GetBoolean());
        Assert.Matches("^1[0-9]{20}$", info.Text("sub"));
    }

    [Fact]
    public async Task Sub_IsStablePerEmail_AcrossClients_AndDiffersBetweenPeople()
    {
        var one = GoogleTestClient.Register(emulators);
        var two = GoogleTestClient.Register(emulators);

        var first = await one.UserInfoAsync((await one.ConnectAsync("same@example.com")).AccessToken);
        var second = await two.UserInfoAsync((await two.ConnectAsync("same@example.com")).AccessToken);
        var other = await one.UserInfoAsync((await one.ConnectAsync("other@example.com")).AccessToken);

        Assert.Equal(first.Text("sub"), second.Text("sub"));
        Assert.NotEqual(first.Text("sub"), other.Text("sub"));
    }

    [Fact]
    public async Task UserInfo_WithoutTheEmailScope_HasNoEmail()
    {
        var client = GoogleTestClient.Register(emulators);
        var tokens = await client.ConnectAsync("scoped@example.com", new AuthorizeOptions { Scope = $"openid {AuthorizeOptions.CalendarScope}" });

        var info = await client.UserInfoAsync(tokens.AccessToken);

        Assert.Equal(HttpStatusCode.OK, info.Status);
        Assert.NotNull(info.Text("sub"));
        Assert.Null(info.Text("email"));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("ya29.not-a-token")]
    public async Task UserInfo_WithoutALiveToken_Is401WithABearerChallenge(string? accessToken)
    {
        var client = GoogleTestClient.Register(emulators);

        var info = await client.UserInfoAsync(accessToken);

        Assert.Equal(HttpStatusCode.Unauthorized, info.Status);
        Assert.Equal("application/json", info.MediaType);
        Assert.NotNull(info.Error);
        Assert.Equal("Bearer", Assert.Single(info.Headers.WwwAuthenticate).Scheme);
    }

    [Fact]
    public async Task InspectAccessToken_TellsWhoAndWhatTheTokenIsFor()
    {
        var client = GoogleTestClient.Register(emulators);
        var tokens = await client.ConnectAsync("inspect@example.com");

        var info = emulators.Google.InspectAccessToken(tokens.AccessToken);

        Assert.NotNull(info);
        Assert.Equal("inspect@example.com", info.Email);
        Assert.Equal(client.ClientId, info.ClientId);
        Assert.Contains(AuthorizeOptions.CalendarScope, info.Scopes);
        Assert.Null(emulators.Google.InspectAccessToken(tokens.RefreshToken!));
    }

    [Fact]
    public async Task IdToken_CarriesGooglesClaims()
    {
        var client = GoogleTestClient.Register(emulators);
        var tokens = await client.ConnectAsync("claims@example.com");

        var payload = tokens.Text("id_token")!.Split('.')[1];
        using var claims = JsonDocument.Parse(System.Buffers.Text.Base64Url.DecodeFromChars(payload));
        var root = claims.RootElement;

        Assert.Equal("https://accounts.google.com", root.GetProperty("iss").GetString());
        Assert.Equal(client.ClientId, root.GetProperty("aud").GetString());
        Assert.Equal("claims@example.com", root.GetProperty("email").GetString());
        Assert.True(root.GetProperty("email_verified").GetBoolean());
        Assert.Matches("^1[0-9]{20}$", root.GetProperty("sub").GetString());
        Assert.Equal(3600, root.GetProperty("exp").GetInt64() - root.GetProperty("iat").GetInt64());
    }
}
