namespace CalendarGrains.Sandbox.Google.Calendar;

/// <summary>
/// A Calendar API error as Google words it. <see cref="ItemMessage"/> is the message inside
/// <c>errors[0]</c>, which for auth errors is shorter than the top-level one.
/// </summary>
internal sealed record CalendarApiError(
    int Status,
    string Reason,
    string Message,
    string Domain = "global",
    string? GrpcStatus = null,
    string? ItemMessage = null,
    string? Location = null)
{
    public const string UnauthenticatedMessage =
        "Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project.";

    public static CalendarApiError MissingCredentials { get; } = new(
        401,
        "required",
        "Request is missing required authentication credential. Expected OAuth 2 access token, login cookie or other valid authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project.",
        GrpcStatus: "UNAUTHENTICATED",
        ItemMessage: "Login Required.",
        Location: "Authorization");

    public static CalendarApiError InvalidCredentials { get; } = new(
        401, "authError", UnauthenticatedMessage, GrpcStatus: "UNAUTHENTICATED", ItemMessage: "Invalid Credentials", Location: "Authorization");

    public static CalendarApiError InsufficientScopes { get; } = new(
        403, "insufficientPermissions", "Request had insufficient authentication scopes.", GrpcStatus: "PERMISSION_DENIED", ItemMessage: "Insufficient Permission");

    public static CalendarApiError NotFound { get; } = new(404, "notFound", "Not Found");

    public static CalendarApiError Deleted { get; } = new(410, "deleted", "Resource has been deleted");

    public static CalendarApiError TimeRangeEmpty { get; } = new(400, "timeRangeEmpty", "The specified time range is empty.");

    public static CalendarApiError ParseError { get; } = new(400, "parseError", "Parse Error");

    public static CalendarApiError Duplicate { get; } = new(409, "duplicate", "The requested identifier already exists.");

    /// <summary>An <c>If-Match</c> etag that is not the event's current one.</summary>
    public static CalendarApiError ConditionNotMet { get; } = new(412, "conditionNotMet", "Precondition Failed", ItemMessage: "Precondition Failed", Location: "If-Match");

    public static CalendarApiError QuotaExceeded { get; } = new(403, "quotaExceeded", "Calendar usage limits exceeded.", Domain: "usageLimits");

    public static CalendarApiError Required(string message) => new(400, "required", message);

    public static CalendarApiError Invalid(string message) => new(400, "invalid", message);

    public static CalendarApiError BadRequest(string message) => new(400, "badRequest", message);

    /// <summary>
    /// An armed failure: 403 and 429 are Google's rate limit (<c>rateLimitExceeded</c> unless another
    /// reason is asked for), 5xx its <c>backendError</c>, the rest what Google says for that status.
    /// </summary>
    public static CalendarApiError Injected(int status, string? reason) => status switch
    {
        401 => InvalidCredentials,
        403 or 429 => new CalendarApiError(
            status,
            reason ?? "rateLimitExceeded",
            reason is null or "rateLimitExceeded" ? "Rate Limit Exceeded" : reason == "userRateLimitExceeded" ? "User Rate Limit Exceeded" : "Calendar usage limits exceeded.",
            Domain: "usageLimits",
            GrpcStatus: status == 429 ? "RESOURCE_EXHAUSTED" : null),
        404 => NotFound,
        410 => Deleted,
        >= 500 => new CalendarApiError(status, reason ?? "backendError", "Backend Error", GrpcStatus: status == 503 ? "UNAVAILABLE" : null),
        _ => new CalendarApiError(status, reason ?? "badRequest", "Bad Request"),
    };

    public ApiErrorBody ToBody() => new(new ApiErrorDetail(
        Status,
        Message,
        [new ErrorItemBody(Domain, Reason, ItemMessage ?? Message, Location is null ? null : "header", Location)],
        GrpcStatus));
}
