using System.Net.Http.Headers;

namespace CalendarGrains.Sandbox.Google;

/// <summary><c>openidconnect.googleapis.com/v1/userinfo</c>.</summary>
internal static class UserInfoEndpoint
{
    public static IResult Handle(HttpContext context, GoogleEmulator emulator)
    {
        emulator.Counters.UserInfoCall();
        var hasBearer = AuthenticationHeaderValue.TryParse(context.Request.Headers.Authorization, out var header)
            && string.Equals(header.Scheme, "Bearer", StringComparison.OrdinalIgnoreCase)
            && !string.IsNullOrEmpty(header.Parameter);
        if (!hasBearer)
        {
            // RFC 6750 §3.1: no credentials at all gets a challenge without an error code.
            return Unauthorized(context, "Bearer realm=\"https://accounts.google.com/\"");
        }

        return emulator.UserInfo(header!.Parameter!) is { } userInfo
            ? TypedResults.Json(userInfo, GoogleWireJson.Default.GoogleUserInfo)
            : Unauthorized(context, "Bearer realm=\"https://accounts.google.com/\", error=\"invalid_token\"");
    }

    private static IResult Unauthorized(HttpContext context, string challenge)
    {
        context.Response.Headers.WWWAuthenticate = challenge;
        return GoogleJsonResults.Error(new OAuthError(401, "invalid_request", "Invalid Credentials"));
    }
}
