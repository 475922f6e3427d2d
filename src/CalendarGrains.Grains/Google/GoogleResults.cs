namespace CalendarGrains.Google;

/// <summary>What Google's token endpoint answered. Failures keep Google's own error code.</summary>
public abstract record GoogleTokenResult;

/// <summary>A token response. <see cref="RefreshToken"/> is set only when Google sent one (consent, or rotation).</summary>
public sealed record GoogleTokens(string AccessToken, DateTimeOffset ExpiresAt, string? RefreshToken, IReadOnlyList<string> Scopes) : GoogleTokenResult
{
    public override string ToString() => $"GoogleTokens(expires {ExpiresAt:O}, refresh token {(RefreshToken is null ? "absent" : "present")})";
}

/// <summary>How a failure should be treated.</summary>
public enum GoogleFailureKind
{
    /// <summary>invalid_grant: the grant (or the code) is dead. Terminal for a refresh token.</summary>
    InvalidGrant,

    /// <summary>invalid_client / unauthorized_client: the tenant's client id or secret is wrong.</summary>
    InvalidClient,

    /// <summary>429, 5xx, a timeout or a network error, after our bounded retries.</summary>
    Transient,

    /// <summary>Any other 4xx (invalid_request, redirect_uri_mismatch, ...): a bug or misconfiguration, not retried.</summary>
    Rejected,
}

public sealed record GoogleFailure(GoogleFailureKind Kind, string Error, string? Description) : GoogleTokenResult;

/// <summary>Google's userinfo (OpenID Connect) for the account that consented.</summary>
public sealed record GoogleUserInfo(string Subject, string? Email);
