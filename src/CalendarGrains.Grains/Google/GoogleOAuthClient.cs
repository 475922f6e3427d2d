using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Serialization;
using CalendarGrains.Common;
using global::Google.Apis.Auth.OAuth2;
using global::Google.Apis.Auth.OAuth2.Flows;
using global::Google.Apis.Auth.OAuth2.Requests;
using global::Google.Apis.Auth.OAuth2.Responses;
using global::Google.Apis.Http;
using IHttpClientFactory = System.Net.Http.IHttpClientFactory;
using ILibraryHttpClientFactory = Google.Apis.Http.IHttpClientFactory;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Polly.Timeout;

namespace CalendarGrains.Google;

/// <summary>
/// Google's OAuth protocol through Google.Apis.Auth (PKCE code exchange, refresh, revoke), with
/// the endpoints from configuration so the same code talks to Google or to the emulator.
/// </summary>
/// <remarks>
/// Note: retries and timeouts are the named clients' resilience handlers (<see cref="GoogleHttp"/>):
/// refresh and revoke are retried, the code exchange is not.
/// <para>
/// Note: each operation builds its own library flow and disposes it: a flow holds the tenant's
/// client secret, and building one costs microseconds (measured: <c>bench ... -- google-flow</c>),
/// against a round trip to Google, so nothing per client outlives the call.
/// </para>
/// </remarks>
public sealed partial class GoogleOAuthClient(
    IGoogleEndpoints endpoints,
    IHttpClientFactory httpClients,
    IHttpMessageHandlerFactory handlers,
    [FromKeyedServices(ServiceTime.Key)] TimeProvider time,
    ILogger<GoogleOAuthClient> logger)
{
    private readonly HandlerFactoryBridge _retried = new(handlers, GoogleHttp.OAuthClient);
    private readonly HandlerFactoryBridge _once = new(handlers, GoogleHttp.CodeExchangeClient);

    /// <summary>The URL to send the user's browser to, and the PKCE verifier to keep for the exchange.</summary>
    public (Uri Url, string CodeVerifier) BuildAuthorizationUrl(GoogleClientCredentials client, AuthorizationUrlRequest request)
    {
        using var flow = Flow(client, _once);
        var url = (GoogleAuthorizationCodeRequestUrl)flow.CreateAuthorizationCodeRequest(request.RedirectUri, out var verifier);
        url.Scope = string.Join(' ', request.Scopes);
        url.State = request.State;
        url.AccessType = "offline"; // a refresh token comes back only with offline access...
        url.Prompt = "consent"; // ...and, on a re-consent, only when consent is asked again.
        url.IncludeGrantedScopes = "true";
        url.LoginHint = request.LoginHint;
        return (url.Build(), verifier);
    }

    public async Task<GoogleTokenResult> ExchangeCodeAsync(GoogleClientCredentials client, string code, string codeVerifier, string redirectUri, CancellationToken cancellationToken)
    {
        var asked = time.GetUtcNow();
        return await AttemptAsync(
            "code_exchange",
            async () =>
            {
                using var flow = Flow(client, _once);
                return Tokens(await flow.ExchangeCodeForTokenAsync("user", code, codeVerifier, redirectUri, cancellationToken), asked, previousRefreshToken: null);
            },
            cancellationToken);
    }

    public async Task<GoogleTokenResult> RefreshAsync(GoogleClientCredentials client, string refreshToken, CancellationToken cancellationToken)
    {
        var asked = time.GetUtcNow();
        return await AttemptAsync(
            "refresh",
            async () =>
            {
                using var flow = Flow(client, _retried);
                return Tokens(await flow.RefreshTokenAsync("user", refreshToken, cancellationToken), asked, refreshToken);
            },
            cancellationToken);
    }

    /// <summary>Revokes the grant; a token Google no longer knows counts as revoked.</summary>
    public async Task<GoogleRevokeResult> RevokeAsync(GoogleClientCredentials client, string token, CancellationToken cancellationToken)
    {
        var result = await AttemptAsync(
            "revoke",
            async () =>
            {
                using var flow = Flow(client, _retried);
                await flow.RevokeTokenAsync("user", token, cancellationToken);
                return new GoogleTokens("", DateTimeOffset.MinValue, null, []);
            },
            cancellationToken);
        return result switch
        {
            GoogleTokens => GoogleRevokeResult.Revoked,
            GoogleFailure { Error: "invalid_token" } => GoogleRevokeResult.AlreadyRevoked,
            GoogleFailure { Kind: GoogleFailureKind.Transient } => GoogleRevokeResult.Unavailable,
            _ => GoogleRevokeResult.Failed,
        };
    }

    /// <summary>The consenting account (needs the <c>openid email</c> scopes); null when Google would not say.</summary>
    public async Task<GoogleUserInfo?> GetUserInfoAsync(string accessToken, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, endpoints.UserInfo);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        try
        {
            using var response = await httpClients.CreateClient(GoogleHttp.UserInfoClient).SendAsync(request, cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                LogUserInfoFailed(logger, (int)response.StatusCode);
                return null;
            }

            var body = await response.Content.ReadFromJsonAsync<UserInfoBody>(cancellationToken);
            return body?.Sub is null ? null : new GoogleUserInfo(body.Sub, body.Email);
        }
        catch (Exception e) when (e is HttpRequestException or TimeoutRejectedException or System.Text.Json.JsonException
            || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            LogUserInfoError(logger, e.GetType().Name);
            return null;
        }
    }

    /// <summary>Runs one operation (its HTTP retried or not by its client) and turns Google's answer or silence into a result.</summary>
    private async Task<GoogleTokenResult> AttemptAsync(string operation, Func<Task<GoogleTokenResult>> attempt, CancellationToken cancellationToken)
    {
        try
        {
            return await attempt();
        }
        catch (TokenResponseException e)
        {
            var failure = Classify(e);
            LogGoogleFailure(logger, operation, e.StatusCode is { } status ? (int)status : 0, failure.Error);
            return failure;
        }
        catch (Exception e) when (e is TimeoutRejectedException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            LogGoogleFailure(logger, operation, 0, "timeout");
            return new GoogleFailure(GoogleFailureKind.Transient, "timeout", "Google did not answer in time.");
        }
        catch (HttpRequestException e)
        {
            LogGoogleFailure(logger, operation, 0, "network_error");
            return new GoogleFailure(GoogleFailureKind.Transient, "network_error", e.HttpRequestError.ToString());
        }
    }

    private static GoogleFailure Classify(TokenResponseException e)
    {
        var status = e.StatusCode is { } code ? (int)code : 0;
        // Google's OAuth errors are short snake_case codes; anything else (the library's own text
        // about an unreadable body) is replaced by the status, so error codes stay a closed set.
        var error = e.Error?.Error is { } given && OAuthErrorCode().IsMatch(given) ? given : "";
        var description = error.Length > 0 ? e.Error?.ErrorDescription : null;
        return error switch
        {
            "invalid_grant" => new GoogleFailure(GoogleFailureKind.InvalidGrant, error, description),
            "invalid_client" or "unauthorized_client" => new GoogleFailure(GoogleFailureKind.InvalidClient, error, description),
            _ when status is (int)HttpStatusCode.TooManyRequests or >= 500 or 0 => new GoogleFailure(GoogleFailureKind.Transient, error.Length > 0 ? error : $"http_{status}", description),
            _ => new GoogleFailure(GoogleFailureKind.Rejected, error.Length > 0 ? error : $"http_{status}", description),
        };
    }

    /// <summary>Expiry is counted from when we asked, by our clock (the library's IsStale ignores injected clocks).</summary>
    private static GoogleTokens Tokens(TokenResponse response, DateTimeOffset asked, string? previousRefreshToken)
    {
        // The library copies the old refresh token into a refresh response that had none; only a
        // different one is a rotation.
        var refreshToken = response.RefreshToken == previousRefreshToken ? null : response.RefreshToken;
        var scopes = (response.Scope ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return new GoogleTokens(response.AccessToken, asked.AddSeconds(response.ExpiresInSeconds ?? 3599), refreshToken, scopes);
    }

    /// <summary>A flow for one operation (the caller disposes it): its HTTP goes through the named client's handler.</summary>
    private PkceGoogleAuthorizationCodeFlow Flow(GoogleClientCredentials client, HandlerFactoryBridge http) =>
        new(new EndpointInitializer(endpoints, client, http));

    private sealed class EndpointInitializer : GoogleAuthorizationCodeFlow.Initializer
    {
        public EndpointInitializer(IGoogleEndpoints endpoints, GoogleClientCredentials client, ILibraryHttpClientFactory http)
            : base(endpoints.Authorization.AbsoluteUri, endpoints.Token.AbsoluteUri, endpoints.Revocation.AbsoluteUri)
        {
            ClientSecrets = new ClientSecrets { ClientId = client.ClientId, ClientSecret = client.ClientSecret };
            HttpClientFactory = http;
            DefaultExponentialBackOffPolicy = ExponentialBackOffPolicy.None;
        }
    }

    private sealed record UserInfoBody(
        [property: JsonPropertyName("sub")] string? Sub,
        [property: JsonPropertyName("email")] string? Email);

    [System.Text.RegularExpressions.GeneratedRegex("^[a-z_]{1,40}$")]
    private static partial System.Text.RegularExpressions.Regex OAuthErrorCode();

    [LoggerMessage(EventId = 101, EventName = "GoogleCallFailed", Level = LogLevel.Warning, Message = "Google {Operation} failed: HTTP {Status}, error {Error}")]
    private static partial void LogGoogleFailure(ILogger logger, string operation, int status, string error);

    [LoggerMessage(EventId = 102, EventName = "GoogleUserInfoFailed", Level = LogLevel.Warning, Message = "Google userinfo answered HTTP {Status}")]
    private static partial void LogUserInfoFailed(ILogger logger, int status);

    [LoggerMessage(EventId = 103, EventName = "GoogleUserInfoError", Level = LogLevel.Warning, Message = "Google userinfo failed: {Error}")]
    private static partial void LogUserInfoError(ILogger logger, string error);
}

public sealed record AuthorizationUrlRequest(string RedirectUri, IReadOnlyList<string> Scopes, string State, string? LoginHint);

public enum GoogleRevokeResult
{
    Revoked,
    AlreadyRevoked,
    Unavailable,
    Failed,
}
