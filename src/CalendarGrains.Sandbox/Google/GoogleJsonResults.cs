namespace CalendarGrains.Sandbox.Google;

/// <summary>Google's JSON answers, serialized with the emulator's own wire contract.</summary>
internal static class GoogleJsonResults
{
    public static IResult Tokens(GoogleTokenResponse response) =>
        TypedResults.Json(response, GoogleWireJson.Default.GoogleTokenResponse);

    public static IResult Error(OAuthError error) =>
        TypedResults.Json(new GoogleOAuthErrorBody(error.Error, error.Description), GoogleWireJson.Default.GoogleOAuthErrorBody, statusCode: error.Status);

    public static IResult Empty() => TypedResults.Json(new EmptyJsonObject(), GoogleWireJson.Default.EmptyJsonObject);

    /// <summary>
    /// An armed failure. With an explicit error code it is an OAuth error body; otherwise 429 and 5xx look
    /// like Google's front ends (the generic <c>{"error":{"code","message","status"}}</c>) and other 4xx
    /// like a plain OAuth error (<c>invalid_client</c> for 401, <c>invalid_request</c> otherwise).
    /// </summary>
    public static IResult Fault(InjectedFault fault)
    {
        if (fault.Error is not null)
        {
            return Error(new OAuthError(fault.Status, fault.Error, fault.ErrorDescription ?? "Bad Request"));
        }

        var generic = fault.Status switch
        {
            429 => new GoogleApiError(429, "Resource has been exhausted (e.g. check quota).", "RESOURCE_EXHAUSTED"),
            500 => new GoogleApiError(500, "Internal error encountered.", "INTERNAL"),
            502 => new GoogleApiError(502, "Bad Gateway", "UNAVAILABLE"),
            503 => new GoogleApiError(503, "The service is currently unavailable.", "UNAVAILABLE"),
            504 => new GoogleApiError(504, "The request timed out. Please try again.", "DEADLINE_EXCEEDED"),
            >= 500 => new GoogleApiError(fault.Status, "Internal error encountered.", "INTERNAL"),
            _ => null,
        };
        if (generic is null)
        {
            var error = fault.Status == 401 ? "invalid_client" : "invalid_request";
            return Error(new OAuthError(fault.Status, error, fault.ErrorDescription ?? (fault.Status == 401 ? "Unauthorized" : "Bad Request")));
        }

        return TypedResults.Json(new GoogleApiErrorBody(generic), GoogleWireJson.Default.GoogleApiErrorBody, statusCode: fault.Status);
    }
}
