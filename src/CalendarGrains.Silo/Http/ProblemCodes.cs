namespace CalendarGrains.Silo.Http;

/// <summary>
/// The stable <c>code</c> of every problem this API answers. Clients branch on these; never
/// rename one. The problem <c>type</c> is <see cref="TypeOf"/> of the code.
/// </summary>
public static class ProblemCodes
{
    public const string InvalidRequest = "invalid_request";
    public const string Unauthorized = "unauthorized";
    public const string NotFound = "not_found";
    public const string MethodNotAllowed = "method_not_allowed";
    public const string Conflict = "conflict";
    public const string ApiKeyLimitReached = "api_key_limit_reached";
    public const string PayloadTooLarge = "payload_too_large";
    public const string UnsupportedMediaType = "unsupported_media_type";
    public const string ServiceUnavailable = "service_unavailable";
    public const string InternalError = "internal_error";

    public static string TypeOf(string code) => $"urn:calendargrains:problem:{code}";

    /// <summary>The code a bare status answers with when the endpoint gave none.</summary>
    public static string ForStatus(int status) => status switch
    {
        StatusCodes.Status400BadRequest => InvalidRequest,
        StatusCodes.Status401Unauthorized => Unauthorized,
        StatusCodes.Status404NotFound => NotFound,
        StatusCodes.Status405MethodNotAllowed => MethodNotAllowed,
        StatusCodes.Status409Conflict => Conflict,
        StatusCodes.Status413PayloadTooLarge => PayloadTooLarge,
        StatusCodes.Status415UnsupportedMediaType => UnsupportedMediaType,
        StatusCodes.Status503ServiceUnavailable => ServiceUnavailable,
        _ when status >= 500 => InternalError,
        _ => InvalidRequest,
    };
}
