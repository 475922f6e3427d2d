namespace CalendarGrains.Sandbox.Google;

/// <summary>
/// A protocol error as Google words it: the HTTP status, the <c>error</c> code and the
/// <c>error_description</c>. The token endpoint sends it as JSON, the authorization endpoint as a page.
/// </summary>
internal sealed record OAuthError(int Status, string Error, string Description)
{
    public static OAuthError InvalidRequest(string description) => new(400, "invalid_request", description);

    public static OAuthError MissingParameter(string name) => InvalidRequest($"Missing required parameter: {name}");

    public static OAuthError InvalidGrant(string description) => new(400, "invalid_grant", description);

    /// <summary>What Google answers for a refresh token that was revoked, expired or pushed out.</summary>
    public static OAuthError ExpiredOrRevoked { get; } = InvalidGrant("Token has been expired or revoked.");

    /// <summary>Unknown client or wrong secret: a configuration problem, never the user's.</summary>
    public static OAuthError InvalidClient { get; } = new(401, "invalid_client", "Unauthorized");
}
