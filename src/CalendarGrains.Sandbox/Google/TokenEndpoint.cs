namespace CalendarGrains.Sandbox.Google;

/// <summary><c>oauth2.googleapis.com/token</c>: code exchange and refresh.</summary>
internal static class TokenEndpoint
{
    public static async Task<IResult> HandleAsync(HttpContext context, GoogleEmulator emulator)
    {
        var request = context.Request;
        emulator.Counters.TokenRequest();

        // Like Google's RFC 6749 §5.1 answers: token responses must never be cached.
        context.Response.Headers.CacheControl = "no-cache, no-store, max-age=0, must-revalidate";
        context.Response.Headers.Pragma = "no-cache";

        await emulator.DelayTokenResponseAsync(context.RequestAborted);
        if (emulator.TakeInjectedFault() is { } fault)
        {
            return GoogleJsonResults.Fault(fault);
        }

        if (!request.HasFormContentType)
        {
            return GoogleJsonResults.Error(OAuthError.InvalidRequest("The request body must be application/x-www-form-urlencoded."));
        }

        var form = await request.ReadFormAsync(context.RequestAborted);
        var grantType = form["grant_type"].FirstOrNull();
        if (grantType is not ("authorization_code" or "refresh_token"))
        {
            return GoogleJsonResults.Error(new OAuthError(400, "unsupported_grant_type", $"Invalid grant_type: {grantType}"));
        }

        if (ClientCredentials.Read(request, form).Authenticate(emulator, out var client) is { } clientError)
        {
            return GoogleJsonResults.Error(clientError);
        }

        return grantType == "authorization_code" ? ExchangeCode(form, client!, emulator) : Refresh(form, client!, emulator);
    }

    private static IResult ExchangeCode(IFormCollection form, OAuthClient client, GoogleEmulator emulator)
    {
        if (form["code"].FirstOrNull() is not { Length: > 0 } code)
        {
            return GoogleJsonResults.Error(OAuthError.MissingParameter("code"));
        }

        var error = emulator.ExchangeCode(client, code, form["redirect_uri"].FirstOrNull(), form["code_verifier"].FirstOrNull(), out var response);
        return error is null ? GoogleJsonResults.Tokens(response!) : GoogleJsonResults.Error(error);
    }

    private static IResult Refresh(IFormCollection form, OAuthClient client, GoogleEmulator emulator)
    {
        if (form["refresh_token"].FirstOrNull() is not { Length: > 0 } refreshToken)
        {
            return GoogleJsonResults.Error(OAuthError.MissingParameter("refresh_token"));
        }

        var error = emulator.Refresh(client, refreshToken, out var response);
        return error is null ? GoogleJsonResults.Tokens(response!) : GoogleJsonResults.Error(error);
    }
}
