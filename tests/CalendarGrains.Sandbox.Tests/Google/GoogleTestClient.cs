using System.Net.Http.Headers;
using System.Text;
using Microsoft.AspNetCore.WebUtilities;

using CalendarGrains.Testing;

namespace CalendarGrains.Sandbox.Tests.Google;

/// <summary>An authorization in progress: the URL the user opens and the PKCE verifier the app kept.</summary>
public sealed record PendingAuthorization(Uri Url, string? Verifier, string RedirectUri);

/// <summary>
/// An OAuth client of the Google emulator speaking raw HTTP, as our service does: each test registers
/// its own client so tests never see each other's grants.
/// </summary>
public sealed class GoogleTestClient
{
    public const string DefaultRedirectUri = "http://127.0.0.1:5555/v1/oauth/callback";

    private readonly EmulatorFixture _emulators;

    private GoogleTestClient(EmulatorFixture emulators, string clientId, string clientSecret)
    {
        _emulators = emulators;
        ClientId = clientId;
        ClientSecret = clientSecret;
    }

    public string ClientId { get; }

    public string ClientSecret { get; }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private HttpClient Http => _emulators.Http;

    public static GoogleTestClient Register(EmulatorFixture emulators, params string[] redirectUris)
    {
        var client = new GoogleTestClient(emulators, $"{Guid.NewGuid():N}.apps.googleusercontent.com", $"GOCSPX-{Guid.NewGuid():N}");
        emulators.Google.RegisterClient(client.ClientId, client.ClientSecret, redirectUris);
        return client;
    }

    public PendingAuthorization Authorize(AuthorizeOptions? options = null)
    {
        options ??= new AuthorizeOptions();
        var pkce = options.UsePkce ? Pkce.CreateS256() : null;
        var query = new Dictionary<string, string?>
        {
            ["client_id"] = ClientId,
            ["redirect_uri"] = options.RedirectUri,
            ["response_type"] = "code",
            ["scope"] = options.Scope,
            ["state"] = options.State,
            ["access_type"] = options.AccessType,
            ["prompt"] = options.Prompt,
            ["include_granted_scopes"] = options.IncludeGrantedScopes ? "true" : null,
            ["code_challenge"] = pkce?.Challenge,
            ["code_challenge_method"] = pkce is null ? null : "S256",
            ["login_hint"] = options.LoginHint,
        };
        var url = QueryHelpers.AddQueryString(new Uri(_emulators.BaseUrl, "/google/o/oauth2/v2/auth").ToString(), query.Where(p => p.Value is not null));
        return new PendingAuthorization(new Uri(url), pkce?.Verifier, options.RedirectUri);
    }

    /// <summary>Consents as <paramref name="email"/> and answers the code from the callback.</summary>
    public async Task<string> ConsentAsync(PendingAuthorization authorization, string email)
    {
        var callback = await GoogleConsent.ApproveAsync(Http, authorization.Url, email, Ct);
        return GoogleConsent.ReadCallback(callback)["code"];
    }

    /// <summary>The whole walk: authorize, consent, exchange. Fails the test unless the exchange succeeds.</summary>
    public async Task<OAuthAnswer> ConnectAsync(string email, AuthorizeOptions? options = null)
    {
        var authorization = Authorize(options);
        var code = await ConsentAsync(authorization, email);
        var answer = await ExchangeAsync(code, authorization.Verifier, authorization.RedirectUri);
        Assert.True(answer.Status == System.Net.HttpStatusCode.OK, $"Code exchange failed: {answer.Body}");
        return answer;
    }

    public Task<OAuthAnswer> ExchangeAsync(string code, string? verifier, string? redirectUri = DefaultRedirectUri) =>
        PostTokenAsync(new Dictionary<string, string?>
        {
            ["grant_type"] = "authorization_code",
            ["code"] = code,
            ["redirect_uri"] = redirectUri,
            ["code_verifier"] = verifier,
            ["client_id"] = ClientId,
            ["client_secret"] = ClientSecret,
        });

    public Task<OAuthAnswer> RefreshAsync(string refreshToken) =>
        PostTokenAsync(new Dictionary<string, string?>
        {
            ["grant_type"] = "refresh_token",
            ["refresh_token"] = refreshToken,
            ["client_id"] = ClientId,
            ["client_secret"] = ClientSecret,
        });

    public async Task<OAuthAnswer> PostTokenAsync(IDictionary<string, string?> form, AuthenticationHeaderValue? authorization = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/google/token")
        {
            Content = new FormUrlEncodedContent(form.Where(p => p.Value is not null)!),
        };
        request.Headers.Authorization = authorization;
        using var response = await Http.SendAsync(request, Ct);
        return await OAuthAnswer.ReadAsync(response, Ct);
    }

    public AuthenticationHeaderValue BasicCredentials(string? secret = null) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{Uri.EscapeDataString(ClientId)}:{Uri.EscapeDataString(secret ?? ClientSecret)}")));

    /// <summary>Revokes with the token in the form body (Google's docs) or the query (Google.Apis.Auth).</summary>
    public async Task<OAuthAnswer> RevokeAsync(string token, bool inQuery = false)
    {
        using var response = inQuery
            ? await Http.PostAsync($"/google/revoke?token={Uri.EscapeDataString(token)}", content: null, Ct)
            : await Http.PostAsync("/google/revoke", new FormUrlEncodedContent([KeyValuePair.Create("token", token)]), Ct);
        return await OAuthAnswer.ReadAsync(response, Ct);
    }

    public async Task<OAuthAnswer> UserInfoAsync(string? accessToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/google/v1/userinfo");
        if (accessToken is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        }

        using var response = await Http.SendAsync(request, Ct);
        return await OAuthAnswer.ReadAsync(response, Ct);
    }
}
