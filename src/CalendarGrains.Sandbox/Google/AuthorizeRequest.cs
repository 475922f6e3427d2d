namespace CalendarGrains.Sandbox.Google;

/// <summary>
/// The parameters of an authorization request, read from the query (the app's redirect to Google)
/// or from the consent form's hidden inputs (the user's decision), which carry the same names.
/// </summary>
internal sealed record AuthorizeRequest(
    string? ClientId,
    string? RedirectUri,
    string? ResponseType,
    string? Scope,
    string? State,
    string? AccessType,
    string? Prompt,
    string? IncludeGrantedScopes,
    string? CodeChallenge,
    string? CodeChallengeMethod,
    string? LoginHint,
    string? Nonce)
{
    public static AuthorizeRequest Read(Func<string, string?> parameter) => new(
        parameter("client_id"),
        parameter("redirect_uri"),
        parameter("response_type"),
        parameter("scope"),
        parameter("state"),
        parameter("access_type"),
        parameter("prompt"),
        parameter("include_granted_scopes"),
        parameter("code_challenge"),
        parameter("code_challenge_method"),
        parameter("login_hint"),
        parameter("nonce"));

    /// <summary>The parameters that were present, under their wire names (for the form's hidden inputs).</summary>
    public IEnumerable<KeyValuePair<string, string>> Parameters()
    {
        (string Name, string? Value)[] all =
        [
            ("client_id", ClientId), ("redirect_uri", RedirectUri), ("response_type", ResponseType), ("scope", Scope),
            ("state", State), ("access_type", AccessType), ("prompt", Prompt),
            ("include_granted_scopes", IncludeGrantedScopes), ("code_challenge", CodeChallenge),
            ("code_challenge_method", CodeChallengeMethod), ("login_hint", LoginHint), ("nonce", Nonce),
        ];
        return all.Where(p => p.Value is not null).Select(p => KeyValuePair.Create(p.Name, p.Value!));
    }
}

/// <summary>An authorization request that passed every check Google makes before showing consent.</summary>
internal sealed record ValidAuthorizeRequest(
    OAuthClient Client,
    string RedirectUri,
    IReadOnlyList<string> Scopes,
    string? State,
    bool Offline,
    bool ForceConsent,
    bool NoInteraction,
    bool IncludeGrantedScopes,
    PkceChallenge? Challenge,
    string? Nonce);
