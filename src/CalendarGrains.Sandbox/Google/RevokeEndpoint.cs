namespace CalendarGrains.Sandbox.Google;

/// <summary><c>oauth2.googleapis.com/revoke</c>.</summary>
internal static class RevokeEndpoint
{
    /// <summary>
    /// The token may come in the form body (Google's documented way) or the query string
    /// (what Google.Apis.Auth sends: <c>POST /revoke?token=...</c> with an empty body).
    /// </summary>
    public static async Task<IResult> HandleAsync(HttpRequest request, GoogleEmulator emulator)
    {
        string? token = null;
        if (request.HasFormContentType)
        {
            var form = await request.ReadFormAsync(request.HttpContext.RequestAborted);
            token = form["token"].FirstOrNull();
        }

        token = string.IsNullOrEmpty(token) ? request.Query["token"].FirstOrNull() : token;
        if (string.IsNullOrEmpty(token))
        {
            return GoogleJsonResults.Error(OAuthError.MissingParameter("token"));
        }

        return emulator.Revoke(token)
            ? GoogleJsonResults.Empty()
            : GoogleJsonResults.Error(new OAuthError(400, "invalid_token", "Token expired or revoked"));
    }
}
