using System.Net;

using CalendarGrains.Testing;

namespace CalendarGrains.Sandbox.Tests.Google;

public sealed class GoogleConsentFlowTests(EmulatorFixture emulators) : IClassFixture<EmulatorFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ConsentWalk_WithPkceS256_RedirectsWithCodeAndExchangesForRefreshAndIdToken()
    {
        var client = GoogleTestClient.Register(emulators, GoogleTestClient.DefaultRedirectUri);
        var authorization = client.Authorize(new AuthorizeOptions { Scope = $"openid email {AuthorizeOptions.CalendarScope}", Prompt = null });

        var callback = await GoogleConsent.ApproveAsync(emulators.Http, authorization.Url, "ada@example.com", Ct);
        var query = GoogleConsent.ReadCallback(callback);
        var tokens = await client.ExchangeAsync(query["code"], authorization.Verifier);

        Assert.StartsWith(GoogleTestClient.DefaultRedirectUri + "?", callback.ToString(), StringComparison.Ordinal);
        Assert.Equal("state-123", query["state"]);
        Assert.Equal(
            $"openid https://www.googleapis.com/auth/userinfo.email {AuthorizeOptions.CalendarScope}",
            query["scope"]);
        Assert.Equal("0", query["authuser"]);
        Assert.Equal("consent", query["prompt"]);
        Assert.Equal(HttpStatusCode.OK, tokens.Status);
        Assert.Equal("application/json", tokens.MediaType);
        Assert.StartsWith("ya29.", tokens.AccessToken, StringComparison.Ordinal);
        Assert.StartsWith("1//", tokens.RefreshToken, StringComparison.Ordinal);
        Assert.Equal(3599, tokens.Body.GetProperty("expires_in").GetInt32());
        Assert.Equal("Bearer", tokens.Text("token_type"));
        Assert.Equal(query["scope"], tokens.Text("scope"));
        Assert.Equal(3, tokens.Text("id_token")!.Split('.').Length);
    }

    [Fact]
    public async Task ConsentPage_CarriesTheRequestAndPrefillsTheLoginHint()
    {
        var client = GoogleTestClient.Register(emulators);
        var authorization = client.Authorize(new AuthorizeOptions { LoginHint = "grace@example.com", State = "a&b\"<c>" });

        var form = await GoogleConsent.ReadFormAsync(emulators.Http, authorization.Url, Ct);

        Assert.Equal("/google/o/oauth2/v2/auth", form.Action.AbsolutePath);
        Assert.Equal("grace@example.com", form.Fields["email"]);
        Assert.Equal(client.ClientId, form.Fields["client_id"]);
        Assert.Equal("a&b\"<c>", form.Fields["state"]);
        Assert.Equal("S256", form.Fields["code_challenge_method"]);
    }

    [Fact]
    public async Task Deny_RedirectsWithAccessDeniedAndState()
    {
        var client = GoogleTestClient.Register(emulators);

        var callback = await GoogleConsent.DenyAsync(emulators.Http, client.Authorize().Url, Ct);

        var query = GoogleConsent.ReadCallback(callback);
        Assert.Equal("access_denied", query["error"]);
        Assert.Equal("state-123", query["state"]);
        Assert.False(query.ContainsKey("code"));
    }

    [Fact]
    public async Task OnlineAccess_IssuesNoRefreshToken()
    {
        var client = GoogleTestClient.Register(emulators);

        var tokens = await client.ConnectAsync("online@example.com", new AuthorizeOptions { AccessType = "online" });

        Assert.Null(tokens.RefreshToken);
        Assert.StartsWith("ya29.", tokens.AccessToken, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FirstOfflineConsent_WithoutPromptConsent_IssuesARefreshToken()
    {
        var client = GoogleTestClient.Register(emulators);

        var tokens = await client.ConnectAsync("first@example.com", new AuthorizeOptions { Prompt = null });

        Assert.NotNull(tokens.RefreshToken);
    }

    [Fact]
    public async Task Reconsent_WithoutPromptConsent_IssuesNoRefreshToken_WithPromptConsent_IssuesANewOne()
    {
        var client = GoogleTestClient.Register(emulators);
        var first = await client.ConnectAsync("again@example.com", new AuthorizeOptions { Prompt = null });

        var silent = await client.ConnectAsync("again@example.com", new AuthorizeOptions { Prompt = null });
        var forced = await client.ConnectAsync("again@example.com", new AuthorizeOptions { Prompt = "consent" });

        Assert.NotNull(first.RefreshToken);
        Assert.Null(silent.RefreshToken);
        Assert.NotNull(forced.RefreshToken);
        Assert.NotEqual(first.RefreshToken, forced.RefreshToken);
        Assert.Equal(HttpStatusCode.OK, (await client.RefreshAsync(first.RefreshToken!)).Status);
    }

    [Fact]
    public async Task IncludeGrantedScopes_AddsScopesGrantedBefore()
    {
        var client = GoogleTestClient.Register(emulators);
        await client.ConnectAsync("incremental@example.com", new AuthorizeOptions { Scope = "openid email" });

        var tokens = await client.ConnectAsync(
            "incremental@example.com",
            new AuthorizeOptions { Scope = AuthorizeOptions.CalendarScope, IncludeGrantedScopes = true });

        var scopes = tokens.Text("scope")!.Split(' ');
        Assert.Contains(AuthorizeOptions.CalendarScope, scopes);
        Assert.Contains("https://www.googleapis.com/auth/userinfo.email", scopes);
        Assert.Contains("openid", scopes);
    }

    [Fact]
    public async Task UnknownClient_ShowsGooglesInvalidClientPage_AndNeverRedirects()
    {
        var url = new Uri(emulators.BaseUrl, "/google/o/oauth2/v2/auth?client_id=nobody&redirect_uri=http://127.0.0.1:1/cb&response_type=code&scope=openid");

        using var response = await emulators.Http.GetAsync(url, Ct);
        var html = await response.Content.ReadAsStringAsync(Ct);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Null(response.Headers.Location);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("Error 401: invalid_client", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RedirectUriNotRegistered_ShowsRedirectUriMismatchPage()
    {
        var client = GoogleTestClient.Register(emulators, GoogleTestClient.DefaultRedirectUri);
        var authorization = client.Authorize(new AuthorizeOptions { RedirectUri = "http://127.0.0.1:6666/elsewhere" });

        using var response = await emulators.Http.GetAsync(authorization.Url, Ct);
        var html = await response.Content.ReadAsStringAsync(Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Null(response.Headers.Location);
        Assert.Contains("Error 400: redirect_uri_mismatch", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConsentPostWithATamperedRedirectUri_IsRejectedLikeTheAuthorizeRequest()
    {
        var client = GoogleTestClient.Register(emulators, GoogleTestClient.DefaultRedirectUri);
        var form = await GoogleConsent.ReadFormAsync(emulators.Http, client.Authorize().Url, Ct);
        var fields = new Dictionary<string, string>(form.Fields)
        {
            ["redirect_uri"] = "https://attacker.example/steal",
            ["decision"] = "allow",
        };

        using var response = await emulators.Http.PostAsync(form.Action, new FormUrlEncodedContent(fields), Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Null(response.Headers.Location);
    }

    [Theory]
    [InlineData("")]
    [InlineData("not-an-email")]
    [InlineData("Ada <ada@example.com>")]
    public async Task AllowWithoutABareEmailAddress_IsRefused(string email)
    {
        var client = GoogleTestClient.Register(emulators);
        var form = await GoogleConsent.ReadFormAsync(emulators.Http, client.Authorize().Url, Ct);
        var fields = new Dictionary<string, string>(form.Fields) { ["email"] = email, ["decision"] = "allow" };

        using var response = await emulators.Http.PostAsync(form.Action, new FormUrlEncodedContent(fields), Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Null(response.Headers.Location);
    }

    [Theory]
    [InlineData("response_type")]
    [InlineData("scope")]
    [InlineData("redirect_uri")]
    [InlineData("client_id")]
    public async Task MissingRequiredParameter_ShowsInvalidRequestPage(string missing)
    {
        var client = GoogleTestClient.Register(emulators);
        var url = client.Authorize().Url;
        var query = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(url.Query)
            .Where(p => p.Key != missing)
            .Select(p => KeyValuePair.Create(p.Key, (string?)p.Value.ToString()));
        var withoutParameter = Microsoft.AspNetCore.WebUtilities.QueryHelpers.AddQueryString(url.GetLeftPart(UriPartial.Path), query);

        using var response = await emulators.Http.GetAsync(withoutParameter, Ct);
        var html = await response.Content.ReadAsStringAsync(Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("Error 400: invalid_request", html, StringComparison.Ordinal);
        Assert.Contains($"Missing required parameter: {missing}", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnsupportedChallengeMethod_ShowsInvalidRequestPage()
    {
        var client = GoogleTestClient.Register(emulators);
        var url = client.Authorize().Url.ToString().Replace("code_challenge_method=S256", "code_challenge_method=S512", StringComparison.Ordinal);

        using var response = await emulators.Http.GetAsync(url, Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task PlainPkce_IsAcceptedLikeGoogle()
    {
        var client = GoogleTestClient.Register(emulators);
        var verifier = Pkce.CreateS256().Verifier;
        var url = client.Authorize(new AuthorizeOptions { UsePkce = false }).Url + $"&code_challenge={verifier}&code_challenge_method=plain";

        var code = await client.ConsentAsync(new PendingAuthorization(new Uri(url), verifier, GoogleTestClient.DefaultRedirectUri), "plain@example.com");
        var tokens = await client.ExchangeAsync(code, verifier);

        Assert.Equal(HttpStatusCode.OK, tokens.Status);
    }

    [Fact]
    public async Task PromptNone_RedirectsWithInteractionRequired()
    {
        var client = GoogleTestClient.Register(emulators);

        using var response = await emulators.Http.GetAsync(client.Authorize(new AuthorizeOptions { Prompt = "none" }).Url, Ct);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("interaction_required", GoogleConsent.ReadCallback(response.Headers.Location!)["error"]);
    }
}
