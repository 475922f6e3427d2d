using System.Text.Json;
using CalendarGrains.Common;
using CalendarGrains.Security;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace CalendarGrains.Silo.Http;

/// <summary>
/// Turns exceptions into problem+json. Bad input (unreadable JSON, a wrong type, too large a
/// body) is the caller's 4xx, never a 500; a silo that cannot be reached is a 503 to retry.
/// </summary>
internal sealed partial class ExceptionProblemHandler(IProblemDetailsService problems, ILogger<ExceptionProblemHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is OperationCanceledException && httpContext.RequestAborted.IsCancellationRequested)
        {
            return true; // The caller went away; there is nobody to answer.
        }

        var problem = Classify(exception);
        var path = LogRedaction.Text(httpContext.Request.Path.Value);
        if (problem.Status == StatusCodes.Status503ServiceUnavailable)
        {
            // Expected while a silo leaves or dies: the caller is told to retry. The message says
            // which grain and method could not answer, and why (timeout, silo gone, rejected).
            LogClusterUnavailable(logger, httpContext.Request.Method, path, LogRedaction.Describe(exception));
        }
        else if (problem.Status >= 500)
        {
            // Note: the description, not the exception object: a logger would write the exception's
            // own text, unmasked.
            LogUnexpected(logger, httpContext.Request.Method, path, LogRedaction.Describe(exception, withStackTraces: true));
        }

        httpContext.Response.StatusCode = problem.Status!.Value;
        if (problem.Status == StatusCodes.Status503ServiceUnavailable)
        {
            httpContext.Response.Headers.RetryAfter = "1";
        }

        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = httpContext, ProblemDetails = problem });
    }

    private static ProblemDetails Classify(Exception exception) => exception switch
    {
        BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } => Problem(
            StatusCodes.Status413PayloadTooLarge, ProblemCodes.PayloadTooLarge, "Payload too large",
            $"The request body is larger than {ProblemDetailsSetup.MaxRequestBodyBytes / 1024} KiB."),
        BadHttpRequestException { StatusCode: StatusCodes.Status415UnsupportedMediaType } => Problem(
            StatusCodes.Status415UnsupportedMediaType, ProblemCodes.UnsupportedMediaType, "Unsupported media type",
            "Send the body as application/json."),
        BadHttpRequestException { InnerException: JsonException json } => InvalidJson(json),
        JsonException json => InvalidJson(json),
        BadHttpRequestException bad when bad.Message.Contains("no body was provided", StringComparison.OrdinalIgnoreCase) => Invalid(
            "$", "A JSON body is required."),
        BadHttpRequestException bad => Problem(
            bad.StatusCode, ProblemCodes.ForStatus(bad.StatusCode), "Bad request", "The request could not be read."),
        _ when StorageOutage.Is(exception) => Problem(
            StatusCodes.Status503ServiceUnavailable, StorageOutage.Code, "Storage unavailable",
            "Storage could not be reached; retry shortly."),
        SiloUnavailableException or OrleansMessageRejectionException or TimeoutException => Problem(
            StatusCodes.Status503ServiceUnavailable, ProblemCodes.ServiceUnavailable, "Service unavailable",
            "The cluster could not answer in time; retry shortly."),
        // Note: a storage timeout reaches here wrapped ("Error from storage provider ..."): transient too.
        _ when exception.InnerException is { } inner && IsTransient(inner) => Problem(
            StatusCodes.Status503ServiceUnavailable, ProblemCodes.ServiceUnavailable, "Service unavailable",
            "The cluster could not answer in time; retry shortly."),
        SecretUnreadableException => Problem(
            StatusCodes.Status500InternalServerError, "secret_unreadable", "A stored secret could not be opened",
            "A stored secret does not open with the configured encryption keys; an operator must restore the key it was sealed with."),
        _ => Problem(
            StatusCodes.Status500InternalServerError, ProblemCodes.InternalError, "Internal error",
            "An unexpected error occurred; it has been logged."),
    };

    private static bool IsTransient(Exception exception) => exception switch
    {
        SiloUnavailableException or OrleansMessageRejectionException or TimeoutException or StackExchange.Redis.RedisConnectionException => true,
        { InnerException: { } inner } => IsTransient(inner),
        _ => false,
    };

    /// <remarks>Note: the message names the field, never echoes the value (it may be a secret).</remarks>
    private static ProblemDetails InvalidJson(JsonException json)
    {
        var field = string.IsNullOrEmpty(json.Path) || json.Path == "$" ? "$" : json.Path.TrimStart('$', '.');
        return Invalid(field, field == "$" ? "The body is not valid JSON." : "The value is not of the expected type.");
    }

    private static ProblemDetails Invalid(string field, string message)
    {
        var problem = Problem(StatusCodes.Status400BadRequest, ProblemCodes.InvalidRequest, "The request is not valid", message);
        problem.Extensions["errors"] = new Dictionary<string, string[]> { [field] = [message] };
        return problem;
    }

    private static ProblemDetails Problem(int status, string code, string title, string detail) => new()
    {
        Status = status,
        Title = title,
        Detail = detail,
        Type = ProblemCodes.TypeOf(code),
        Extensions = { ["code"] = code },
    };

    [LoggerMessage(EventId = 2, EventName = "ClusterUnavailable", Level = LogLevel.Warning, Message = "Answered 503 to {Method} {Path}: the cluster could not answer: {Failure}")]
    private static partial void LogClusterUnavailable(ILogger logger, string method, string path, string failure);

    [LoggerMessage(EventId = 1, EventName = "UnexpectedException", Level = LogLevel.Error, Message = "Unexpected failure answering {Method} {Path}: {Failure}")]
    private static partial void LogUnexpected(ILogger logger, string method, string path, string failure);
}
