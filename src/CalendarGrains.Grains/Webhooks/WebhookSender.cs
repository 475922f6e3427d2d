using System.Globalization;

namespace CalendarGrains.Webhooks;

/// <summary>The result of one attempt. <see cref="Aborted"/>: cut short by shutdown, so not counted as an attempt.</summary>
internal readonly record struct WebhookAttemptResult(bool Delivered, int StatusCode, string? Error, bool Aborted = false)
{
    public static WebhookAttemptResult Success(int statusCode) => new(true, statusCode, null);

    public static WebhookAttemptResult Failure(string error, int statusCode = 0) => new(false, statusCode, error);

    public static readonly WebhookAttemptResult Cancelled = new(false, 0, null, Aborted: true);
}

/// <summary>
/// Makes one signed POST of an event, written as its outbox's target says. It never retries (the
/// outbox is the retry layer) and never throws for an endpoint's failure: it reports a status code
/// or an error kind.
/// </summary>
public sealed class WebhookSender(IHttpClientFactory httpClientFactory)
{
    /// <summary>The named client: per-attempt timeout, no redirects, no retry handler, no request logging.</summary>
    public const string HttpClientName = "webhooks";

    internal async Task<WebhookAttemptResult> SendAsync(WebhookTarget target, WebhookEvent webhookEvent, DateTimeOffset attemptAt, CancellationToken stopping)
    {
        using var request = target.Request(webhookEvent, attemptAt);
        try
        {
            var http = httpClientFactory.CreateClient(HttpClientName);
            // Headers are enough to judge the answer; the body is never read (nor logged).
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, stopping);
            var status = (int)response.StatusCode;
            // Note: 410 Gone is a failure like any other (retried, then dropped): a URL that is
            // briefly misrouted must not silently lose a tenant's events.
            return status is >= 200 and < 300
                ? WebhookAttemptResult.Success(status)
                : WebhookAttemptResult.Failure(string.Create(CultureInfo.InvariantCulture, $"http_{status}"), status);
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            return WebhookAttemptResult.Cancelled;
        }
        catch (Exception e) when (e is Polly.Timeout.TimeoutRejectedException or OperationCanceledException)
        {
            // The client's resilience handler bounds each attempt (Webhooks:AttemptTimeout).
            return WebhookAttemptResult.Failure("timeout");
        }
        catch (HttpRequestException exception)
        {
            // The kind only: the message may name the host, and never mind a URL's query.
            return WebhookAttemptResult.Failure(SnakeCase(exception.HttpRequestError.ToString()));
        }
    }

    /// <summary><c>ConnectionError</c> → <c>connection_error</c>, like the other error codes of the API.</summary>
    private static string SnakeCase(string name) =>
        string.Concat(name.Select((c, i) => char.IsUpper(c) ? (i == 0 ? "" : "_") + char.ToLowerInvariant(c) : c.ToString()));
}
