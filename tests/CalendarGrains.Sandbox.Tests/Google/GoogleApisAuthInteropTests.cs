using System.Net;
using Google.Apis.Auth;
using Google.Apis.Auth.OAuth2;
using Google.Apis.Auth.OAuth2.Flows;
using Google.Apis.Auth.OAuth2.Responses;

using CalendarGrains.Testing;

namespace CalendarGrains.Sandbox.Tests.Google;

/// <summary>
/// Google's own .NET client library against the emulator: if the library is happy, the emulator speaks
/// Google's protocol (URL building, form posts, response parsing, revoke-by-query, id_token keys).
/// </summary>
public sealed class GoogleApisAuthInteropTests(EmulatorFixture emulators) : IClassFixture<EmulatorFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task PkceFlow_AuthorizesExchangesRefreshesAndRevokes()
    {
        var client = GoogleTestClient.Register(emulators, GoogleTestClient.DefaultRedirectUri);
        using var flow = CreateFlow(client);

        var request = flow.CreateAuthorizationCodeRequest(GoogleTestClient.DefaultRedirectUri, out var verifier);
        request.State = "library-state";
        var callback = await GoogleConsent.ApproveAsync(emulators.Http, request.Build(), "library@example.com", Ct);
        var code = GoogleConsent.ReadCallback(callback)["code"];
        var token = await flow.ExchangeCodeForTokenAsync("user-1", code, verifier, GoogleTestClient.DefaultRedirectUri, Ct);
        var refreshed = await flow.RefreshTokenAsync("user-1", token.RefreshToken, Ct);
        await flow.RevokeTokenAsync("user-1", token.RefreshToken, Ct);

        Assert.Equal("library-state", GoogleConsent.ReadCallback(callback)["state"]);
        Assert.StartsWith("1//", token.RefreshToken, StringComparison.Ordinal);
        Assert.Equal(3599, token.ExpiresInSeconds);
        Assert.NotNull(token.IdToken);
        Assert.NotEqual(token.AccessToken, refreshed.AccessToken);
        Assert.Equal(token.RefreshToken, refreshed.RefreshToken);
        Assert.Null(emulators.Google.ValidateAccessToken(refreshed.AccessToken));
    }

    [Fact]
    public async Task RefreshAfterRevocation_ThrowsTokenResponseExceptionWithInvalidGrant()
    {
        var client = GoogleTestClient.Register(emulators);
        var tokens = await client.ConnectAsync("revoked-library@example.com");
        emulators.Google.RevokeUser("revoked-library@example.com");
        using var flow = CreateFlow(client);

        var error = await Assert.ThrowsAsync<TokenResponseException>(() => flow.RefreshTokenAsync("user-2", tokens.RefreshToken!, Ct));

        Assert.Equal("invalid_grant", error.Error.Error);
        Assert.Equal(HttpStatusCode.BadRequest, error.StatusCode);
    }

    [Fact]
    public async Task WrongSecret_ThrowsTokenResponseExceptionWithInvalidClient()
    {
        var client = GoogleTestClient.Register(emulators);
        var tokens = await client.ConnectAsync("secret-library@example.com");
        using var flow = CreateFlow(client, secret: "not-the-secret");

        var error = await Assert.ThrowsAsync<TokenResponseException>(() => flow.RefreshTokenAsync("user-3", tokens.RefreshToken!, Ct));

        Assert.Equal("invalid_client", error.Error.Error);
        Assert.Equal(HttpStatusCode.Unauthorized, error.StatusCode);
    }

    [Fact]
    public async Task IdToken_VerifiesAgainstTheEmulatorsPublishedKeys()
    {
        var client = GoogleTestClient.Register(emulators);
        var tokens = await client.ConnectAsync("verified@example.com");

        var payload = await JsonWebSignature.VerifySignedTokenAsync<GoogleJsonWebSignature.Payload>(
            tokens.Text("id_token"),
            new SignedTokenVerificationOptions
            {
                CertificatesUrl = new Uri(emulators.BaseUrl, "/google/oauth2/v3/certs").ToString(),
                TrustedAudiences = { client.ClientId },
                TrustedIssuers = { "https://accounts.google.com" },
            },
            Ct);

        Assert.Equal("verified@example.com", payload.Email);
        Assert.True(payload.EmailVerified);
    }

    private PkceGoogleAuthorizationCodeFlow CreateFlow(GoogleTestClient client, string? secret = null) =>
        new PkceGoogleAuthorizationCodeFlow(new EmulatorInitializer(emulators.BaseUrl)
        {
            ClientSecrets = new ClientSecrets { ClientId = client.ClientId, ClientSecret = secret ?? client.ClientSecret },
            Scopes = ["openid", "email", AuthorizeOptions.CalendarScope],
            Prompt = "consent",
        });

    /// <summary>The library's URLs have private setters; its protected constructor is the seam for another server.</summary>
    private sealed class EmulatorInitializer(Uri baseUrl) : GoogleAuthorizationCodeFlow.Initializer(
        new Uri(baseUrl, "/google/o/oauth2/v2/auth").ToString(),
        new Uri(baseUrl, "/google/token").ToString(),
        new Uri(baseUrl, "/google/revoke").ToString());
}
