using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CalendarGrains.Tests.Infrastructure;

namespace CalendarGrains.Tests.Connections;

/// <summary>The consent walk over real HTTP: our API, the Google emulator's consent page, our callback.</summary>
public sealed class ConnectFlowTests(SandboxHostFixture fixture) : IClassFixture<SandboxHostFixture>
{
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;

    [Fact]
    public async Task BrowserWalk_YieldsAnActiveConnectionWithTheEmail_AndAReplayIs400AndChangesNothing()
    {
        using var kit = await ConnectionKit.CreateAsync(fixture.Host);
        var connectUrl = await kit.StartSessionAsync("user-1");
        var consent = await kit.FollowToGoogleAsync(connectUrl);
        Assert.Contains("code_challenge_method=S256", consent.Query, StringComparison.Ordinal);
        Assert.Contains("access_type=offline", consent.Query, StringComparison.Ordinal);
        Assert.Contains("prompt=consent", consent.Query, StringComparison.Ordinal);
        var callback = await kit.ApproveAsync(consent, "ada@example.com");

        var back = await kit.CallbackAsync(callback);

        Assert.Equal(HttpStatusCode.Redirect, back.StatusCode);
        var query = ConnectionKit.ReturnQuery(back);
        Assert.Equal("user-1", query["endUserId"]);
        var id = query["connectionId"];
        Assert.StartsWith("conn_", id, StringComparison.Ordinal);
        var connection = await kit.Api.GetFromJsonAsync<JsonElement>($"/v1/connections/{id}", _ct);
        Assert.Equal("active", connection.GetProperty("status").GetString());
        Assert.Equal("ada@example.com", connection.GetProperty("accountEmail").GetString());
        Assert.Equal("google", connection.GetProperty("provider").GetString());

        var exchangesBefore = kit.Google.GetStats().CodeExchanges;
        var replay = await kit.CallbackAsync(callback);

        Assert.Equal(HttpStatusCode.BadRequest, replay.StatusCode);
        Assert.Equal("invalid_state", (await replay.Content.ReadFromJsonAsync<JsonElement>(_ct)).GetProperty("code").GetString());
        Assert.Equal(exchangesBefore, kit.Google.GetStats().CodeExchanges);
        Assert.Equal(connection.ToString(), (await kit.Api.GetFromJsonAsync<JsonElement>($"/v1/connections/{id}", _ct)).ToString());
    }

    [Fact]
    public async Task ConnectingTheSameEndUserAgain_KeepsTheId()
    {
        using var kit = await ConnectionKit.CreateAsync(fixture.Host);
        var first = await kit.ConnectAsync("user-2", "grace@example.com");

        var second = await kit.ConnectAsync("user-2", "grace@example.com");

        Assert.Equal(first, second);
        var page = await kit.Api.GetFromJsonAsync<JsonElement>("/v1/connections?endUserId=user-2", _ct);
        Assert.Equal(1, page.GetProperty("data").GetArrayLength());
    }

    [Fact]
    public async Task DenyingConsent_ReturnsTheErrorToTheTenant_AndStoresNothing()
    {
        using var kit = await ConnectionKit.CreateAsync(fixture.Host);
        var consent = await kit.FollowToGoogleAsync(await kit.StartSessionAsync("user-3"));
        var callback = await Testing.GoogleConsent.DenyAsync(new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }), consent, _ct);

        var back = await kit.CallbackAsync(callback);

        Assert.Equal("access_denied", ConnectionKit.ReturnQuery(back)["error"]);
        var page = await kit.Api.GetFromJsonAsync<JsonElement>("/v1/connections?endUserId=user-3", _ct);
        Assert.Equal(0, page.GetProperty("data").GetArrayLength());
    }

    [Fact]
    public async Task AConsentWithoutARefreshToken_IsAnErrorTheUserSees_NotAHalfStoredConnection()
    {
        using var kit = await ConnectionKit.CreateAsync(fixture.Host);
        var consent = await kit.FollowToGoogleAsync(await kit.StartSessionAsync("user-4"));
        // The user (or a proxy) drops offline access: Google then issues no refresh token.
        var online = new Uri(consent.AbsoluteUri.Replace("access_type=offline", "access_type=online", StringComparison.Ordinal));

        var back = await kit.CallbackAsync(await kit.ApproveAsync(online, "linus@example.com"));

        Assert.Equal("no_refresh_token", ConnectionKit.ReturnQuery(back)["error"]);
        var page = await kit.Api.GetFromJsonAsync<JsonElement>("/v1/connections?endUserId=user-4", _ct);
        Assert.Equal(0, page.GetProperty("data").GetArrayLength());
    }

    [Fact]
    public async Task AReturnUrlOutsideTheAllowedList_IsRefused()
    {
        using var kit = await ConnectionKit.CreateAsync(fixture.Host);

        var response = await kit.Api.PostAsJsonAsync("/v1/connect-sessions", new { endUserId = "u", returnUrl = "https://evil.example/steal" }, _ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await response.Content.ReadFromJsonAsync<JsonElement>(_ct)).GetProperty("errors").TryGetProperty("returnUrl", out _));
    }

    [Theory]
    [InlineData("/v1/oauth/callback?code=x")]
    [InlineData("/v1/oauth/callback?code=x&state=cs_unknown.nonce")]
    [InlineData("/v1/oauth/callback?code=x&state=garbage")]
    public async Task ACallbackWithABadState_Is400(string path)
    {
        var response = await fixture.Host.Http.GetAsync(path, _ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task AnUnknownConnectLink_Is404()
    {
        var response = await fixture.Host.Http.GetAsync("/v1/connect/cs_doesnotexist", _ct);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}
