namespace CalendarGrains.Sandbox.Google;

/// <summary>
/// Accounts, consents, codes and tokens. One lock guards it all: the emulator is a test double, and
/// a single lock keeps every multi-step change (revoke a grant, push out a token) atomic and obvious.
/// </summary>
internal sealed class GrantStore(TimeProvider time)
{
    /// <summary>Google keeps at most 100 live refresh tokens per user and client.</summary>
    public const int MaxRefreshTokensPerGrant = 100;

    /// <summary>Google's authorization codes are good for about ten minutes.</summary>
    public static readonly TimeSpan CodeLifetime = TimeSpan.FromMinutes(10);

    // Note: expired codes and access tokens are swept now and then rather than on a timer, so the
    // store needs no background work and follows a fake clock without surprises.
    private const int IssuesBetweenSweeps = 256;

    private readonly Lock _gate = new();
    private readonly HashSet<string> _accounts = new(StringComparer.Ordinal);
    private readonly Dictionary<GrantKey, UserGrant> _grants = [];
    private readonly Dictionary<string, AuthorizationCode> _codes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, RefreshTokenRecord> _refreshTokens = new(StringComparer.Ordinal);
    private readonly Dictionary<string, AccessTokenRecord> _accessTokens = new(StringComparer.Ordinal);
    private int _issuesSinceSweep;

    /// <summary>The user pressed "Allow": record the consent and mint a code.</summary>
    public AuthorizationCode Approve(ValidAuthorizeRequest request, string email)
    {
        var key = new GrantKey(request.Client.Id, email);
        lock (_gate)
        {
            _accounts.Add(email);
            var isFirstGrant = !_grants.TryGetValue(key, out var grant);
            if (grant is null)
            {
                grant = new UserGrant(key);
                _grants.Add(key, grant);
            }

            var scopes = request.IncludeGrantedScopes ? grant.Scopes.Union(request.Scopes).ToArray() : request.Scopes;
            grant.Scopes.AddRange(request.Scopes.Except(grant.Scopes).ToArray());

            // Google's rule: offline access yields a refresh token only on the first consent of this
            // user to this client, or when the app forces the consent screen with prompt=consent.
            var issuesRefreshToken = request.Offline && (request.ForceConsent || isFirstGrant);
            var code = new AuthorizationCode(
                SecureTokens.AuthorizationCode(), key, request.RedirectUri, scopes, request.Challenge, request.Nonce,
                issuesRefreshToken, time.GetUtcNow() + CodeLifetime);
            _codes.Add(code.Value, code);
            SweepNowAndThen();
            return code;
        }
    }

    public GrantResult ExchangeCode(OAuthClient client, string codeValue, string? redirectUri, string? codeVerifier, TimeSpan accessTokenLifetime)
    {
        lock (_gate)
        {
            if (!_codes.TryGetValue(codeValue, out var code) || code.Key.ClientId != client.Id)
            {
                return new GrantRefused(OAuthError.InvalidGrant("Malformed auth code."));
            }

            if (code.Redeemed)
            {
                // RFC 6749 §4.1.2: a code used twice may have been stolen; revoke what it produced.
                RevokeFamily(code.Key, code.FamilyId);
                return new GrantRefused(OAuthError.InvalidGrant("Bad Request"));
            }

            if (time.GetUtcNow() >= code.ExpiresAt)
            {
                _codes.Remove(code.Value);
                return new GrantRefused(OAuthError.InvalidGrant("Bad Request"));
            }

            var refusal = CheckRedirectUri(code, redirectUri) ?? CheckVerifier(code, codeVerifier);
            if (refusal is not null)
            {
                return new GrantRefused(refusal);
            }

            code.Redeemed = true;
            var grant = _grants[code.Key];
            var refreshToken = code.IssuesRefreshToken ? AddRefreshToken(grant, code.FamilyId, code.Scopes) : null;
            var accessToken = AddAccessToken(grant, code.FamilyId, code.Scopes, accessTokenLifetime);
            return new GrantIssued(accessToken, refreshToken, code.Nonce);
        }
    }

    public GrantResult Refresh(OAuthClient client, string refreshToken, bool rotate, TimeSpan accessTokenLifetime)
    {
        lock (_gate)
        {
            if (!_refreshTokens.TryGetValue(refreshToken, out var record))
            {
                return new GrantRefused(OAuthError.ExpiredOrRevoked);
            }

            if (record.Key.ClientId != client.Id)
            {
                // Google's answer for a refresh token that belongs to another client.
                return new GrantRefused(new OAuthError(400, "unauthorized_client", "Unauthorized"));
            }

            var grant = _grants[record.Key];
            string? rotated = null;
            if (rotate)
            {
                RemoveRefreshToken(grant, record);
                rotated = AddRefreshToken(grant, record.FamilyId, record.Scopes);
            }

            var accessToken = AddAccessToken(grant, record.FamilyId, record.Scopes, accessTokenLifetime);
            return new GrantIssued(accessToken, rotated, Nonce: null);
        }
    }

    /// <summary>Revokes the whole grant behind a refresh or live access token; false when there is none.</summary>
    public bool Revoke(string token)
    {
        lock (_gate)
        {
            GrantKey key;
            if (_refreshTokens.TryGetValue(token, out var refresh))
            {
                key = refresh.Key;
            }
            else if (FindLiveAccessToken(token) is { } access)
            {
                key = access.Key;
            }
            else
            {
                return false;
            }

            RevokeGrant(key);
            return true;
        }
    }

    /// <summary>The user removed access in their Google account: every client loses everything.</summary>
    public int RevokeUser(string email)
    {
        lock (_gate)
        {
            var keys = _grants.Keys.Where(key => key.Email == email).ToArray();
            foreach (var key in keys)
            {
                RevokeGrant(key);
            }

            return keys.Length;
        }
    }

    public AccessTokenRecord? FindAccessToken(string token)
    {
        lock (_gate)
        {
            return FindLiveAccessToken(token);
        }
    }

    public (int Accounts, int Grants, int RefreshTokens, int AccessTokens) Count()
    {
        lock (_gate)
        {
            var now = time.GetUtcNow();
            return (_accounts.Count, _grants.Count, _refreshTokens.Count, _accessTokens.Values.Count(t => t.ExpiresAt > now));
        }
    }

    public void Clear()
    {
        lock (_gate)
        {
            _accounts.Clear();
            _grants.Clear();
            _codes.Clear();
            _refreshTokens.Clear();
            _accessTokens.Clear();
        }
    }

    private static OAuthError? CheckRedirectUri(AuthorizationCode code, string? redirectUri) => redirectUri switch
    {
        null or "" => OAuthError.MissingParameter("redirect_uri"),
        _ when redirectUri != code.RedirectUri => new OAuthError(400, "redirect_uri_mismatch", "Bad Request"),
        _ => null,
    };

    private static OAuthError? CheckVerifier(AuthorizationCode code, string? verifier) => (code.Challenge, verifier) switch
    {
        (null, null or "") => null,
        (null, _) => OAuthError.InvalidRequest("code_verifier or verifier is not needed."),
        (_, null or "") => OAuthError.InvalidGrant("Missing code verifier."),
        var (challenge, _) when !challenge.IsSatisfiedBy(verifier) => OAuthError.InvalidGrant("Invalid code verifier."),
        _ => null,
    };

    private AccessTokenRecord? FindLiveAccessToken(string token) =>
        _accessTokens.TryGetValue(token, out var record) && record.ExpiresAt > time.GetUtcNow() ? record : null;

    private string AddRefreshToken(UserGrant grant, string familyId, IReadOnlyList<string> scopes)
    {
        // Over the limit Google drops the oldest token without telling anyone; its holder learns at
        // the next refresh (invalid_grant).
        while (grant.RefreshTokens.Count >= MaxRefreshTokensPerGrant)
        {
            RemoveRefreshToken(grant, grant.RefreshTokens[0]);
        }

        var record = new RefreshTokenRecord(SecureTokens.RefreshToken(), grant.Key, familyId, scopes);
        grant.RefreshTokens.Add(record);
        _refreshTokens.Add(record.Token, record);
        return record.Token;
    }

    private void RemoveRefreshToken(UserGrant grant, RefreshTokenRecord record)
    {
        grant.RefreshTokens.Remove(record);
        _refreshTokens.Remove(record.Token);
    }

    private AccessTokenRecord AddAccessToken(UserGrant grant, string familyId, IReadOnlyList<string> scopes, TimeSpan lifetime)
    {
        var record = new AccessTokenRecord(SecureTokens.AccessToken(), grant.Key, familyId, scopes, time.GetUtcNow() + lifetime);
        grant.AccessTokens.Add(record.Token);
        _accessTokens.Add(record.Token, record);
        SweepNowAndThen();
        return record;
    }

    private void RevokeFamily(GrantKey key, string familyId)
    {
        if (!_grants.TryGetValue(key, out var grant))
        {
            return;
        }

        foreach (var refresh in grant.RefreshTokens.Where(t => t.FamilyId == familyId).ToArray())
        {
            RemoveRefreshToken(grant, refresh);
        }

        foreach (var token in grant.AccessTokens.ToArray())
        {
            if (_accessTokens.TryGetValue(token, out var access) && access.FamilyId == familyId)
            {
                grant.AccessTokens.Remove(token);
                _accessTokens.Remove(token);
            }
        }
    }

    private void RevokeGrant(GrantKey key)
    {
        if (!_grants.Remove(key, out var grant))
        {
            return;
        }

        foreach (var refresh in grant.RefreshTokens)
        {
            _refreshTokens.Remove(refresh.Token);
        }

        foreach (var token in grant.AccessTokens)
        {
            _accessTokens.Remove(token);
        }

        // A code minted before the revocation must not bring the grant back.
        foreach (var code in _codes.Values.Where(c => c.Key == key).ToArray())
        {
            _codes.Remove(code.Value);
        }
    }

    private void SweepNowAndThen()
    {
        if (++_issuesSinceSweep < IssuesBetweenSweeps)
        {
            return;
        }

        _issuesSinceSweep = 0;
        var now = time.GetUtcNow();
        foreach (var code in _codes.Values.Where(c => c.ExpiresAt <= now).ToArray())
        {
            _codes.Remove(code.Value);
        }

        foreach (var access in _accessTokens.Values.Where(t => t.ExpiresAt <= now).ToArray())
        {
            _accessTokens.Remove(access.Token);
            if (_grants.TryGetValue(access.Key, out var grant))
            {
                grant.AccessTokens.Remove(access.Token);
            }
        }
    }
}
