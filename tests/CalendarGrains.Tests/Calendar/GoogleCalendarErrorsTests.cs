using System.Net;
using System.Net.Http.Headers;
using System.Text;
using CalendarGrains.Google.Calendar;
using Microsoft.Extensions.Time.Testing;

namespace CalendarGrains.Tests.Calendar;

public sealed class GoogleCalendarErrorsTests
{
    private static readonly FakeTimeProvider Clock = new(new DateTimeOffset(2030, 1, 7, 9, 0, 0, TimeSpan.Zero));

    [Fact]
    public async Task ReadAsync_GoogleBody_KeepsReasonAndMessage_AndRetryAfterSeconds()
    {
        using var response = Response(HttpStatusCode.Forbidden, """{"error":{"code":403,"message":"User Rate Limit Exceeded","errors":[{"domain":"usageLimits","reason":"userRateLimitExceeded"}]}}""");
        response.Headers.RetryAfter = new RetryConditionHeaderValue(TimeSpan.FromSeconds(7));

        var error = await GoogleCalendarErrors.ReadAsync(response, Clock, TestContext.Current.CancellationToken);

        Assert.Equal(new CalendarError(CalendarErrorKind.RateLimited, 403, "userRateLimitExceeded", "User Rate Limit Exceeded") { RetryAfter = TimeSpan.FromSeconds(7) }, error);
    }

    [Fact]
    public async Task ReadAsync_NotJson_FallsBackToTheStatus_AndRetryAfterDate()
    {
        using var response = Response(HttpStatusCode.BadGateway, "<html>upstream died</html>", "text/html");
        response.Headers.RetryAfter = new RetryConditionHeaderValue(Clock.GetUtcNow().AddSeconds(30));

        var error = await GoogleCalendarErrors.ReadAsync(response, Clock, TestContext.Current.CancellationToken);

        Assert.Equal(CalendarErrorKind.Unavailable, error.Kind);
        Assert.Equal("http_502", error.Reason);
        Assert.Equal("Bad Gateway", error.Message);
        Assert.Equal(TimeSpan.FromSeconds(30), error.RetryAfter);
    }

    [Theory]
    [InlineData(401, "authError", CalendarErrorKind.Unauthorized)]
    [InlineData(403, "insufficientPermissions", CalendarErrorKind.Forbidden)]
    [InlineData(403, "quotaExceeded", CalendarErrorKind.Forbidden)]
    [InlineData(403, "rateLimitExceeded", CalendarErrorKind.RateLimited)]
    [InlineData(404, "notFound", CalendarErrorKind.NotFound)]
    [InlineData(410, "deleted", CalendarErrorKind.NotFound)]
    [InlineData(409, "duplicate", CalendarErrorKind.Conflict)]
    [InlineData(429, "rateLimitExceeded", CalendarErrorKind.RateLimited)]
    [InlineData(400, "timeRangeEmpty", CalendarErrorKind.Invalid)]
    [InlineData(408, "http_408", CalendarErrorKind.Unavailable)]
    [InlineData(503, "backendError", CalendarErrorKind.Unavailable)]
    public void Classify_MapsGooglesStatusAndReason(int status, string reason, CalendarErrorKind kind) =>
        Assert.Equal(kind, GoogleCalendarErrors.Classify(status, reason));

    private static HttpResponseMessage Response(HttpStatusCode status, string body, string mediaType = "application/json") =>
        new(status) { Content = new StringContent(body, Encoding.UTF8, mediaType) };
}
