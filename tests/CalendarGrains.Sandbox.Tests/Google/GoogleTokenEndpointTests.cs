using System.Net;

namespace CalendarGrains.Sandbox.Tests.Google;

public sealed class GoogleTokenEndpointTests(EmulatorFixture emulators) : IClassFixture<EmulatorFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task CodeReuse_IsInvalidGrant_AndRevokesWhatTheCodeProduced()
    {
        var client = GoogleTestClient.Register(emulators);
        var authorization = client.Authorize();
        var code = await client.ConsentAsync(authorization, "reuse@example.com");
        var first = await client.ExchangeAsync(code, authorization.Verifier);

        var second = await client.ExchangeAsync(code, authorization.Verifier);

        Assert.Equal(HttpStatusCode.OK, first.Status);
        AssertError(second, HttpStatusCode.BadRequest, "invalid_grant");
        AssertError(await client.RefreshAsync(first.RefreshToken!), HttpStatusCode.BadRequest, "invalid_grant");
        Assert.Null(emulators.Google.ValidateAccessToken(first.AccessToken));
    }

    [Fact]
    public async Task UnknownCode_IsInvalidGrantMalformedAuthCode()
    {
        var client = GoogleTestClient.Register(emulators);

        var answer = await client.ExchangeAsync("4/0nonsense", verifier: null);

        AssertError(answer, HttpStatusCode.BadRequest, "invalid_grant");
        Assert.Equal("Malformed auth code.", answer.ErrorDescription);
    }

    [Fact]
    public async Task MissingOrWrongVerifier_IsInvalidGrant_AndLeavesTheCodeUsable()
    {
        var client = GoogleTestClient.Register(emulators);
        var authorization = client.Authorize();
        var code = await client.ConsentAsync(authorization, "pkce@example.com");

        var missing = await client.ExchangeAsync(code, verifier: null);
        var wrong = await client.ExchangeAsync(code, Pkce.CreateS256().Verifier);
        var right = await client.ExchangeAsync(code, authorization.Verifier);

        AssertError(missing, HttpStatusCode.BadRequest, "invalid_grant");
        Assert.Equal("Missing code verifier.", missing.ErrorDescription);
        AssertError(wrong, HttpStatusCode.BadRequest, "invalid_grant");
        Assert.Equal("Invalid code verifier.", wrong.ErrorDescription);
        Assert.Equal(HttpStatusCode.OK, right.Status);
    }

    [Fact]
    public async Task RedirectUriDifferentFromAuthorize_IsRedirectUriMismatch()
    {
        var client = GoogleTestClient.Register(emulators);
        var authorization = client.Authorize();
        var code = await client.ConsentAsync(authorization, "redirect@example.com");

        var answer = await client.ExchangeAsync(code, authorization.Verifier, "http://127.0.0.1:5555/other");

        AssertError(answer, HttpStatusCode.BadRequest, "redirect_uri_mismatch");
    }

    [Fact]
    public async Task WrongSecret_Is401InvalidClientUnauthorized()
    {
        var client = GoogleTestClient.Register(emulators);

        var answer = await client.PostTokenAsync(new Dictionary<string, string?>
        {
            ["grant_type"] = "refresh_token",
            ["refresh_token"] = "1//whatever",
            ["client_id"] = client.ClientId,
            ["client_secret"] = "wrong",
        });

        AssertError(answer, HttpStatusCode.Unauthorized, "invalid_client");
        Assert.Equal("Unauthorized", answer.ErrorDescription);
    }

    [Fact]
    public async Task UnknownClient_Is401InvalidClient()
    {
        var client = GoogleTestClient.Register(emulators);

        var answer = await client.PostTokenAsync(new Dictionary<string, string?>
        {
            ["grant_type"] = "refresh_token",
            ["refresh_token"] = "1//whatever",
            ["client_id"] = "nobody.apps.googleusercontent.com",
            ["client_secret"] = client.ClientSecret,
        });

        AssertError(answer, HttpStatusCode.Unauthorized, "invalid_client");
    }

    [Fact]
    public async Task BasicAuthentication_IsAccepted_AndAWrongBasicSecretIsNot()
    {
        var client = GoogleTestClient.Register(emulators);
        var tokens = await client.ConnectAsync("basic@example.com");
        var form = new Dictionary<string, string?> { ["grant_type"] = "refresh_token", ["refresh_token"] = tokens.RefreshToken };

        var accepted = await client.PostTokenAsync(form, client.BasicCredentials());
        var refused = await client.PostTokenAsync(form, client.BasicCredentials("wrong"));

        Assert.Equal(HttpStatusCode.OK, accepted.Status);
        AssertError(refused, HttpStatusCode.Unauthorized, "invalid_client");
    }

    [Fact]
    public async Task Refresh_IssuesANewWorkingAccessToken_WithoutARefreshToken()
    {
        var client = GoogleTestClient.Register(emulators);
        var tokens = await client.ConnectAsync("refresh@example.com");

        var refreshed = await client.RefreshAsync(tokens.RefreshToken!);

        Assert.Equal(HttpStatusCode.OK, refreshed.Status);
        Assert.NotEqual(tokens.AccessToken, refreshed.AccessToken);
        Assert.Null(refreshed.RefreshToken);
        Assert.Equal(tokens.Text("scope"), refreshed.Text("scope"));
        Assert.NotNull(refreshed.Text("id_token"));
        Assert.Equal("refresh@example.com", emulators.Google.ValidateAccessToken(refreshed.AccessToken));
    }

    [Fact]
    public async Task Rotation_ReturnsANewRefreshToken_AndRetiresTheOldOne()
    {
        var client = GoogleTestClient.Register(emulators);
        var tokens = await client.ConnectAsync("rotate@example.com");
        emulators.Google.RotateRefreshTokens = true;
        try
        {
            var rotated = await client.RefreshAsync(tokens.RefreshToken!);
            var old = await client.RefreshAsync(tokens.RefreshToken!);
            var next = await client.RefreshAsync(rotated.RefreshToken!);

            Assert.Equal(HttpStatusCode.OK, rotated.Status);
            Assert.StartsWith("1//", rotated.RefreshToken, StringComparison.Ordinal);
            Assert.NotEqual(tokens.RefreshToken, rotated.RefreshToken);
            AssertError(old, HttpStatusCode.BadRequest, "invalid_grant");
            Assert.Equal(HttpStatusCode.OK, next.Status);
        }
        finally
        {
            emulators.Google.RotateRefreshTokens = false;
        }
    }

    [Fact]
    public async Task RefreshTokenOfAnotherClient_IsUnauthorizedClient()
    {
        var owner = GoogleTestClient.Register(emulators);
        var other = GoogleTestClient.Register(emulators);
        var tokens = await owner.ConnectAsync("owner@example.com");

        var answer = await other.RefreshAsync(tokens.RefreshToken!);

        AssertError(answer, HttpStatusCode.BadRequest, "unauthorized_client");
    }

    [Fact]
    public async Task UnknownRefreshToken_IsInvalidGrantExpiredOrRevoked()
    {
        var client = GoogleTestClient.Register(emulators);

        var answer = await client.RefreshAsync("1//never-issued");

        AssertError(answer, HttpStatusCode.BadRequest, "invalid_grant");
        Assert.Equal("Token has been expired or revoked.", answer.ErrorDescription);
    }

    [Fact]
    public async Task HundredAndFirstRefreshToken_PushesOutTheOldest()
    {
        var client = GoogleTestClient.Register(emulators);
        var refreshTokens = new List<string>();
        for (var i = 0; i < 101; i++)
        {
            refreshTokens.Add((await client.ConnectAsync("many@example.com")).RefreshToken!);
        }

        AssertError(await client.RefreshAsync(refreshTokens[0]), HttpStatusCode.BadRequest, "invalid_grant");
        Assert.Equal(HttpStatusCode.OK, (await client.RefreshAsync(refreshTokens[1])).Status);
        Assert.Equal(HttpStatusCode.OK, (await client.RefreshAsync(refreshTokens[100])).Status);
    }

    [Theory]
    [InlineData("password")]
    [InlineData("client_credentials")]
    [InlineData(null)]
    public async Task UnsupportedGrantType_IsRefused(string? grantType)
    {
        var client = GoogleTestClient.Register(emulators);

        var answer = await client.PostTokenAsync(new Dictionary<string, string?>
        {
            ["grant_type"] = grantType,
            ["client_id"] = client.ClientId,
            ["client_secret"] = client.ClientSecret,
        });

        AssertError(answer, HttpStatusCode.BadRequest, "unsupported_grant_type");
    }

    [Theory]
    [InlineData("authorization_code", "code")]
    [InlineData("refresh_token", "refresh_token")]
    public async Task MissingGrantParameter_IsInvalidRequest(string grantType, string parameter)
    {
        var client = GoogleTestClient.Register(emulators);

        var answer = await client.PostTokenAsync(new Dictionary<string, string?>
        {
            ["grant_type"] = grantType,
            ["client_id"] = client.ClientId,
            ["client_secret"] = client.ClientSecret,
        });

        AssertError(answer, HttpStatusCode.BadRequest, "invalid_request");
        Assert.Equal($"Missing required parameter: {parameter}", answer.ErrorDescription);
    }

    [Fact]
    public async Task MissingClientSecret_IsInvalidRequest()
    {
        var client = GoogleTestClient.Register(emulators);

        var answer = await client.PostTokenAsync(new Dictionary<string, string?>
        {
            ["grant_type"] = "refresh_token",
            ["refresh_token"] = "1//x",
            ["client_id"] = client.ClientId,
        });

        AssertError(answer, HttpStatusCode.BadRequest, "invalid_request");
    }

    [Fact]
    public async Task JsonBody_IsInvalidRequest()
    {
        using var content = new StringContent("""{"grant_type":"refresh_token"}""", System.Text.Encoding.UTF8, "application/json");

        using var response = await emulators.Http.PostAsync("/google/token", content, Ct);
        var answer = await OAuthAnswer.ReadAsync(response, Ct);

        AssertError(answer, HttpStatusCode.BadRequest, "invalid_request");
    }

    [Fact]
    public async Task TokenResponses_AreNotCacheable()
    {
        var client = GoogleTestClient.Register(emulators);

        var tokens = await client.ConnectAsync("cache@example.com");

        Assert.True(tokens.Headers.CacheControl?.NoStore);
    }

    private static void AssertError(OAuthAnswer answer, HttpStatusCode status, string error)
    {
        Assert.Equal(status, answer.Status);
        Assert.Equal("application/json", answer.MediaType);
        Assert.Equal(error, answer.Error);
        Assert.False(string.IsNullOrEmpty(answer.ErrorDescription), "Google always sends an error_description.");
    }
}
