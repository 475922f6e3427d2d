using System.Net;
using System.Text.Json;

namespace CalendarGrains.Google.Calendar;

/// <summary>Google's error answers, read into <see cref="CalendarError"/>: shared by the client and its retry rule.</summary>
internal static class GoogleCalendarErrors
{
    public static async Task<CalendarError> ReadAsync(HttpResponseMessage response, TimeProvider time, CancellationToken cancellationToken)
    {
        var status = (int)response.StatusCode;
        var detail = await ReadDetailAsync(response, cancellationToken);
        var reason = FirstReason(detail) is { Length: > 0 } given ? given : $"http_{status}";
        var message = detail?.Message is { Length: > 0 } said ? said : response.ReasonPhrase ?? reason;
        return new CalendarError(Classify(status, reason), status, reason, message) { RetryAfter = RetryAfter(response, time) };
    }

    public static CalendarErrorKind Classify(int status, string reason) => status switch
    {
        401 => CalendarErrorKind.Unauthorized,
        403 when IsRateLimit(reason) => CalendarErrorKind.RateLimited,
        403 => CalendarErrorKind.Forbidden,
        404 or 410 => CalendarErrorKind.NotFound,
        409 => CalendarErrorKind.Conflict,
        429 => CalendarErrorKind.RateLimited,
        408 or >= 500 => CalendarErrorKind.Unavailable,
        _ => CalendarErrorKind.Invalid,
    };

    /// <summary>
    /// Google's Calendar API sends its rate limits as 403 as well as 429, told apart from a missing scope
    /// only by the reason in the body.
    /// </summary>
    public static async ValueTask<bool> IsRateLimitedAsync(HttpResponseMessage response, CancellationToken cancellationToken) =>
        response.StatusCode == HttpStatusCode.Forbidden
        && FirstReason(await ReadDetailAsync(response, cancellationToken)) is { } reason
        && IsRateLimit(reason);

    /// <summary><c>Retry-After</c> as a delay, whether Google sent seconds or a date.</summary>
    public static TimeSpan? RetryAfter(HttpResponseMessage response, TimeProvider time) => response.Headers.RetryAfter switch
    {
        { Delta: { } delta } => delta,
        { Date: { } date } => date - time.GetUtcNow() is var wait && wait > TimeSpan.Zero ? wait : TimeSpan.Zero,
        _ => null,
    };

    private static string? FirstReason(GoogleErrorDetail? detail) => detail?.Errors is [var first, ..] ? first.Reason : null;

    private static bool IsRateLimit(string reason) => reason is "rateLimitExceeded" or "userRateLimitExceeded";

    /// <remarks>
    /// Read as bytes, not as a stream: HttpContent hands out one stream per content, so a second reader
    /// (the retry rule reads 403 bodies before the client does) would find it at its end.
    /// </remarks>
    private static async Task<GoogleErrorDetail?> ReadDetailAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            var bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken);
            return JsonSerializer.Deserialize(bytes, GoogleCalendarJson.Default.GoogleErrorBody)?.Error;
        }
        catch (JsonException)
        {
            // Not JSON (a proxy's HTML page, an empty body): the status alone has to do.
            return null;
        }
    }
}
