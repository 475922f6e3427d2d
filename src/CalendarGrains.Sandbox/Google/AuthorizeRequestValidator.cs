namespace CalendarGrains.Sandbox.Google;

/// <summary>Google's checks on an authorization request, in Google's order.</summary>
internal static class AuthorizeRequestValidator
{
    private static readonly string[] KnownPrompts = ["none", "consent", "select_account"];

    /// <summary>
    /// Client and redirect URI are checked first: until both are trusted, Google never redirects back.
    /// Google also answers the later checks with its error page rather than a redirect: a malformed
    /// request is the developer's bug, not the user's answer.
    /// </summary>
    public static OAuthError? Validate(AuthorizeRequest request, Func<string, OAuthClient?> findClient, out ValidAuthorizeRequest? valid)
    {
        valid = null;
        if (string.IsNullOrEmpty(request.ClientId))
        {
            return OAuthError.MissingParameter("client_id");
        }

        if (findClient(request.ClientId) is not { } client)
        {
            return new OAuthError(401, "invalid_client", "The OAuth client was not found.");
        }

        if (string.IsNullOrEmpty(request.RedirectUri))
        {
            return OAuthError.MissingParameter("redirect_uri");
        }

        if (!client.AllowsRedirectUri(request.RedirectUri))
        {
            return new OAuthError(
                400,
                "redirect_uri_mismatch",
                $"You can't sign in to this app because it doesn't comply with Google's OAuth 2.0 policy. redirect_uri={request.RedirectUri}");
        }

        if (string.IsNullOrEmpty(request.ResponseType))
        {
            return OAuthError.MissingParameter("response_type");
        }

        if (request.ResponseType != "code")
        {
            return new OAuthError(400, "unsupported_response_type", $"Invalid response_type: {request.ResponseType}");
        }

        var scopes = GoogleScopes.Parse(request.Scope);
        if (scopes.Count == 0)
        {
            return OAuthError.MissingParameter("scope");
        }

        if (request.AccessType is not (null or "online" or "offline"))
        {
            return OAuthError.InvalidRequest($"Invalid access_type: {request.AccessType}");
        }

        var prompts = (request.Prompt ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (prompts.Except(KnownPrompts).FirstOrDefault() is { } unknownPrompt)
        {
            return OAuthError.InvalidRequest($"Invalid prompt: {unknownPrompt}");
        }

        if (prompts.Contains("none") && prompts.Length > 1)
        {
            return OAuthError.InvalidRequest("prompt=none cannot be combined with other values.");
        }

        var challengeError = ReadChallenge(request, out var challenge);
        if (challengeError is not null)
        {
            return challengeError;
        }

        valid = new ValidAuthorizeRequest(
            client,
            request.RedirectUri,
            scopes,
            request.State,
            Offline: request.AccessType == "offline",
            ForceConsent: prompts.Contains("consent"),
            NoInteraction: prompts.Contains("none"),
            IncludeGrantedScopes: string.Equals(request.IncludeGrantedScopes, "true", StringComparison.OrdinalIgnoreCase),
            challenge,
            request.Nonce);
        return null;
    }

    private static OAuthError? ReadChallenge(AuthorizeRequest request, out PkceChallenge? challenge)
    {
        challenge = null;
        if (string.IsNullOrEmpty(request.CodeChallenge))
        {
            return null;
        }

        // RFC 7636 §4.3: without a method the challenge is plain. Google accepts both.
        var method = string.IsNullOrEmpty(request.CodeChallengeMethod) ? PkceChallenge.Plain : request.CodeChallengeMethod;
        if (method is not (PkceChallenge.S256 or PkceChallenge.Plain))
        {
            return OAuthError.InvalidRequest($"Invalid code_challenge_method: {method}");
        }

        if (!PkceChallenge.IsWellFormed(request.CodeChallenge))
        {
            return OAuthError.InvalidRequest("Invalid code_challenge.");
        }

        challenge = new PkceChallenge(request.CodeChallenge, method);
        return null;
    }
}
