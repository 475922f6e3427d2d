using System.Diagnostics.CodeAnalysis;

namespace CalendarGrains.Google.Calendar;

/// <summary>What a Calendar failure means for the caller.</summary>
public enum CalendarErrorKind
{
    /// <summary>401: the access token is unknown, expired or revoked. Refresh it; if that fails, the user must reconnect.</summary>
    Unauthorized,

    /// <summary>403 other than rate limits: a missing scope (<c>insufficientPermissions</c>), a usage limit, a forbidden calendar.</summary>
    Forbidden,

    /// <summary>404 or 410: no such calendar (Google says this for calendars the user cannot see) or event.</summary>
    NotFound,

    /// <summary>429, or 403 <c>rateLimitExceeded</c>/<c>userRateLimitExceeded</c>, after the retries reads get.</summary>
    RateLimited,

    /// <summary>400 and other 4xx: the request is wrong (e.g. <c>timeRangeEmpty</c>); retrying will not help.</summary>
    Invalid,

    /// <summary>409: an event with the chosen id exists (an earlier attempt of the same insert landed).</summary>
    Conflict,

    /// <summary>5xx, a timeout, a network error or an unreadable answer, after the retries reads get.</summary>
    Unavailable,
}

/// <summary>
/// A Calendar call that failed as calls to Google do. <see cref="Status"/> is Google's HTTP status (0 when
/// no answer came), <see cref="Reason"/> Google's <c>errors[0].reason</c> (<c>authError</c>,
/// <c>insufficientPermissions</c>, <c>rateLimitExceeded</c>, <c>notFound</c>, ...) or ours (<c>timeout</c>,
/// <c>network_error</c>, <c>invalid_response</c>), <see cref="Message"/> Google's message.
/// </summary>
public sealed record CalendarError(CalendarErrorKind Kind, int Status, string Reason, string Message)
{
    /// <summary>How long Google asked us to wait (<c>Retry-After</c>), when it said.</summary>
    public TimeSpan? RetryAfter { get; init; }
}

/// <summary>The value of a Calendar call, or why there is none. Expected failures are values, not exceptions.</summary>
public sealed record CalendarResult<T>
    where T : class
{
    internal CalendarResult(T? value, CalendarError? error)
    {
        Value = value;
        Error = error;
    }

    public T? Value { get; }

    public CalendarError? Error { get; }

    [MemberNotNullWhen(true, nameof(Value))]
    [MemberNotNullWhen(false, nameof(Error))]
    public bool IsSuccess => Error is null;
}
