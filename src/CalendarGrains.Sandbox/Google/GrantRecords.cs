namespace CalendarGrains.Sandbox.Google;

/// <summary>One user's authorization of one client: what Google lists under "third-party access".</summary>
internal readonly record struct GrantKey(string ClientId, string Email);

/// <summary>
/// Everything a user granted one client. Revoking any of its tokens removes all of it, as Google does,
/// so the next consent counts as the first again and yields a refresh token.
/// </summary>
internal sealed class UserGrant(GrantKey key)
{
    public GrantKey Key { get; } = key;

    /// <summary>Every scope the user ever granted this client (what <c>include_granted_scopes</c> adds back).</summary>
    public List<string> Scopes { get; } = [];

    /// <summary>Live refresh tokens, oldest first, so the 100-token limit can push out the oldest.</summary>
    public List<RefreshTokenRecord> RefreshTokens { get; } = [];

    public HashSet<string> AccessTokens { get; } = new(StringComparer.Ordinal);
}

/// <summary>
/// An authorization code between consent and exchange. <see cref="FamilyId"/> tags every token issued from
/// it, so reusing the code can revoke exactly those tokens (RFC 6749 §4.1.2).
/// </summary>
internal sealed class AuthorizationCode(
    string value,
    GrantKey key,
    string redirectUri,
    IReadOnlyList<string> scopes,
    PkceChallenge? challenge,
    string? nonce,
    bool issuesRefreshToken,
    DateTimeOffset expiresAt)
{
    public string Value { get; } = value;

    public GrantKey Key { get; } = key;

    public string RedirectUri { get; } = redirectUri;

    public IReadOnlyList<string> Scopes { get; } = scopes;

    public PkceChallenge? Challenge { get; } = challenge;

    public string? Nonce { get; } = nonce;

    public bool IssuesRefreshToken { get; } = issuesRefreshToken;

    public DateTimeOffset ExpiresAt { get; } = expiresAt;

    public string FamilyId { get; } = SecureTokens.Id();

    public bool Redeemed { get; set; }
}

internal sealed record RefreshTokenRecord(string Token, GrantKey Key, string FamilyId, IReadOnlyList<string> Scopes);

internal sealed record AccessTokenRecord(
    string Token,
    GrantKey Key,
    string FamilyId,
    IReadOnlyList<string> Scopes,
    DateTimeOffset ExpiresAt);

/// <summary>What a successful grant produced; the emulator turns it into Google's token response.</summary>
internal abstract record GrantResult;

internal sealed record GrantIssued(AccessTokenRecord AccessToken, string? RefreshToken, string? Nonce) : GrantResult;

internal sealed record GrantRefused(OAuthError Error) : GrantResult;
