using System.Collections.Concurrent;

namespace CalendarGrains.Sandbox.Google;

/// <summary>
/// Google's OAuth 2.0 authorization server, emulated: clients, accounts, consents, codes and tokens,
/// plus the knobs tests and people use to make it misbehave. Thread-safe; one per host (a singleton).
/// </summary>
public sealed class GoogleEmulator : IDisposable
{
    /// <summary>Google's access tokens live an hour; its responses say 3599 seconds.</summary>
    public static readonly TimeSpan DefaultAccessTokenLifetime = TimeSpan.FromSeconds(3599);

    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<string, OAuthClient> _clients = new(StringComparer.Ordinal);
    private readonly GrantStore _store;
    private readonly IdTokenSigner _signer = new();
    private readonly ArmedFaults _faults = new();
    private long _latencyTicks;
    private long _accessTokenLifetimeTicks = DefaultAccessTokenLifetime.Ticks;
    private int _rotateRefreshTokens;

    public GoogleEmulator(TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        _time = timeProvider;
        _store = new GrantStore(timeProvider);
    }

    public int ClientCount => _clients.Count;

    /// <summary>Delay before the token endpoint answers (measured on the injected clock). Default zero.</summary>
    public TimeSpan Latency
    {
        get => TimeSpan.FromTicks(Interlocked.Read(ref _latencyTicks));
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, TimeSpan.Zero);
            Interlocked.Exchange(ref _latencyTicks, value.Ticks);
        }
    }

    /// <summary>Lifetime of new access tokens. Default <see cref="DefaultAccessTokenLifetime"/>.</summary>
    public TimeSpan AccessTokenLifetime
    {
        get => TimeSpan.FromTicks(Interlocked.Read(ref _accessTokenLifetimeTicks));
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, TimeSpan.FromSeconds(1));
            Interlocked.Exchange(ref _accessTokenLifetimeTicks, value.Ticks);
        }
    }

    /// <summary>
    /// When on, every refresh answers with a new refresh token and the old one stops working. Google does
    /// not rotate today, but may; a client must store a refresh token whenever one comes back.
    /// </summary>
    public bool RotateRefreshTokens
    {
        get => Volatile.Read(ref _rotateRefreshTokens) != 0;
        set => Volatile.Write(ref _rotateRefreshTokens, value ? 1 : 0);
    }

    internal GoogleEmulatorCounters Counters { get; } = new();

    /// <summary>Registers (or replaces) an OAuth client that accepts any http(s) redirect URI.</summary>
    public void RegisterClient(string clientId, string clientSecret) => RegisterClient(clientId, clientSecret, []);

    /// <summary>Registers (or replaces) an OAuth client that accepts only the given redirect URIs (exact match).</summary>
    public void RegisterClient(string clientId, string clientSecret, IEnumerable<string> redirectUris)
    {
        ArgumentException.ThrowIfNullOrEmpty(clientId);
        ArgumentException.ThrowIfNullOrEmpty(clientSecret);
        ArgumentNullException.ThrowIfNull(redirectUris);
        _clients[clientId] = new OAuthClient(clientId, clientSecret, redirectUris.ToHashSet(StringComparer.Ordinal));
    }

    /// <summary>Whether an OAuth client with this id is registered.</summary>
    public bool KnowsClient(string clientId) => _clients.ContainsKey(clientId);

    /// <summary>The account email behind a live access token, or null when it is unknown, expired or revoked.</summary>
    public string? ValidateAccessToken(string token) => InspectAccessToken(token)?.Email;

    /// <summary>Who and what a live access token is for, or null when it is unknown, expired or revoked.</summary>
    public GoogleAccessTokenInfo? InspectAccessToken(string token)
    {
        ArgumentNullException.ThrowIfNull(token);
        return _store.FindAccessToken(token) is { } record
            ? new GoogleAccessTokenInfo(record.Key.Email, GoogleSubject.ForEmail(record.Key.Email), record.Key.ClientId, record.Scopes, record.ExpiresAt)
            : null;
    }

    /// <summary>
    /// The user removed every app's access in their Google account: all grants, refresh and access
    /// tokens and pending codes of that user die. Answers how many grants (clients) were revoked.
    /// </summary>
    public int RevokeUser(string email)
    {
        ArgumentException.ThrowIfNullOrEmpty(email);
        var revoked = _store.RevokeUser(NormalizeEmail(email));
        Counters.Revoked(revoked);
        return revoked;
    }

    /// <summary>
    /// The next <paramref name="count"/> token requests fail with <paramref name="status"/>. Without an
    /// <paramref name="error"/>, 429 and 5xx get Google's generic API error body and 4xx an OAuth error
    /// body; with one, an OAuth error body <c>{"error","error_description"}</c>. A count of 0 disarms.
    /// </summary>
    public void FailNext(int count, int status, string? error = null, string? errorDescription = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfLessThan(status, 400);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(status, 599);
        _faults.Arm(count, new InjectedFault(status, error, errorDescription));
    }

    public GoogleEmulatorStats GetStats()
    {
        var (accounts, grants, refreshTokens, accessTokens) = _store.Count();
        return new GoogleEmulatorStats(
            Counters.TokenRequests,
            Counters.CodeExchanges,
            Counters.RefreshGrants,
            Counters.Revocations,
            Counters.UserInfoCalls,
            _clients.Count,
            accounts,
            grants,
            refreshTokens,
            accessTokens,
            _faults.Remaining,
            Latency.TotalMilliseconds,
            AccessTokenLifetime.TotalSeconds,
            RotateRefreshTokens);
    }

    /// <summary>
    /// Forgets accounts, grants, codes and tokens, zeroes the counters and restores the default settings.
    /// Registered clients stay unless <paramref name="forgetClients"/>: in the sandbox they are
    /// configuration that the service registered at start, not state a person wants to lose.
    /// </summary>
    public void Reset(bool forgetClients = false)
    {
        _store.Clear();
        Counters.Clear();
        _faults.Disarm();
        Latency = TimeSpan.Zero;
        AccessTokenLifetime = DefaultAccessTokenLifetime;
        RotateRefreshTokens = false;
        if (forgetClients)
        {
            _clients.Clear();
        }
    }

    public void Dispose() => _signer.Dispose();

    internal static string NormalizeEmail(string email) => email.Trim().ToLowerInvariant();

    internal OAuthClient? FindClient(string clientId) => _clients.GetValueOrDefault(clientId);

    /// <summary>The client, when the id is known and the secret is its own.</summary>
    internal OAuthClient? AuthenticateClient(string clientId, string clientSecret) =>
        FindClient(clientId) is { } client && client.HasSecret(clientSecret) ? client : null;

    internal AuthorizationCode Approve(ValidAuthorizeRequest request, string email) =>
        _store.Approve(request, NormalizeEmail(email));

    internal InjectedFault? TakeInjectedFault() => _faults.TryTake();

    internal async Task DelayTokenResponseAsync(CancellationToken cancellationToken)
    {
        var latency = Latency;
        if (latency > TimeSpan.Zero)
        {
            await Task.Delay(latency, _time, cancellationToken);
        }
    }

    internal OAuthError? ExchangeCode(OAuthClient client, string code, string? redirectUri, string? codeVerifier, out GoogleTokenResponse? response)
    {
        var lifetime = AccessTokenLifetime;
        var result = _store.ExchangeCode(client, code, redirectUri, codeVerifier, lifetime);
        var error = Complete(result, client, lifetime, out response);
        if (error is null)
        {
            Counters.CodeExchange();
        }

        return error;
    }

    internal OAuthError? Refresh(OAuthClient client, string refreshToken, out GoogleTokenResponse? response)
    {
        var lifetime = AccessTokenLifetime;
        var result = _store.Refresh(client, refreshToken, RotateRefreshTokens, lifetime);
        var error = Complete(result, client, lifetime, out response);
        if (error is null)
        {
            Counters.RefreshGrant();
        }

        return error;
    }

    internal bool Revoke(string token)
    {
        var revoked = _store.Revoke(token);
        if (revoked)
        {
            Counters.Revoked(1);
        }

        return revoked;
    }

    internal GoogleUserInfo? UserInfo(string accessToken)
    {
        if (_store.FindAccessToken(accessToken) is not { } token)
        {
            return null;
        }

        var email = token.Key.Email;
        var hasEmail = token.Scopes.Contains(GoogleScopes.Email);
        var hasProfile = token.Scopes.Contains(GoogleScopes.Profile);
        var name = email.Split('@')[0];
        return new GoogleUserInfo(
            GoogleSubject.ForEmail(email),
            hasProfile ? name : null,
            hasProfile ? name : null,
            hasProfile ? "https://lh3.googleusercontent.com/a/default-user=s96-c" : null,
            hasEmail ? email : null,
            hasEmail ? true : null);
    }

    internal JsonWebKeySet PublicKeys() => _signer.PublicKeys();

    private OAuthError? Complete(GrantResult result, OAuthClient client, TimeSpan lifetime, out GoogleTokenResponse? response)
    {
        response = null;
        if (result is GrantRefused refused)
        {
            return refused.Error;
        }

        var issued = (GrantIssued)result;
        var access = issued.AccessToken;
        var idToken = access.Scopes.Contains(GoogleScopes.OpenId) ? _signer.Sign(IdTokenClaims(access, client, issued.Nonce)) : null;
        response = new GoogleTokenResponse(
            access.Token,
            (long)lifetime.TotalSeconds,
            GoogleScopes.Join(access.Scopes),
            "Bearer",
            issued.RefreshToken,
            idToken);
        return null;
    }

    private GoogleIdTokenClaims IdTokenClaims(AccessTokenRecord access, OAuthClient client, string? nonce)
    {
        var now = _time.GetUtcNow();
        var email = access.Key.Email;
        var hasEmail = access.Scopes.Contains(GoogleScopes.Email);
        return new GoogleIdTokenClaims(
            IdTokenSigner.Issuer,
            client.Id,
            client.Id,
            GoogleSubject.ForEmail(email),
            hasEmail ? email : null,
            hasEmail ? true : null,
            IdTokenSigner.AccessTokenHash(access.Token),
            nonce,
            now.ToUnixTimeSeconds(),
            (now + IdTokenSigner.Lifetime).ToUnixTimeSeconds());
    }
}
