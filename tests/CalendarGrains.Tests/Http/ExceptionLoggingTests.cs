using System.Diagnostics;
using CalendarGrains.Common;
using CalendarGrains.Silo.Http;
using CalendarGrains.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CalendarGrains.Tests.Http;

/// <summary>
/// A failure answered with a 5xx is logged with what it was (type, message, inner failures), so a
/// chaos run can be diagnosed from its logs; and never with a secret that was inside it.
/// </summary>
public sealed class ExceptionLoggingTests
{
    private const string SessionId = "cs_Hq3nV0b6RkYt2mWcPz8LdA9sXe4uJf1G";
    private const string ApiKey = "cgk_8fJ2kLq9Xv4mNb7RtYw3ZpAe6HsDc1Ug5Vo0Ii2Kk";
    private const string AccessToken = "ya29.a0AfB_byC8xYz-Qw3eRt5yUi7oP9aSdFgHjKl";
    private const string RefreshToken = "1//0gLmNoPqRsTuVwXyZ-abcdefghijk";
    private const string AuthorizationCode = "4/0AVG7fiQ1a2b3c4d5e6f7g8h9i";
    private const string ClientSecret = "GOCSPX-n0tAR3alS3cr3tButL00ksL1k3";

    private readonly LogCapture _logs = new();

    [Fact]
    public async Task TryHandleAsync_GrainCallTimedOut_Logs503WithTheOrleansMessage_WithoutTheSessionId()
    {
        // As Orleans words it: the target grain (a connect session: its key is a bearer link) and
        // the method with its parameter types.
        var timeout = new TimeoutException(
            $"Response did not arrive on time in 00:00:10 for message: Request [S127.0.0.1:40001:1 sys.client/hosted-127.0.0.1:40001@1]->" +
            $"[S127.0.0.1:40002:2 connectsession/{SessionId}] CalendarGrains.Connections.IConnectSessionGrain[(CalendarGrains.Connections.IConnectSessionGrain)" +
            $"connectsession/{SessionId}].StartAsync() #1234. Last known status is null.");

        var context = await HandleAsync("GET", $"/v1/connect/{SessionId}", timeout);

        Assert.Equal(StatusCodes.Status503ServiceUnavailable, context.Response.StatusCode);
        var line = Assert.Single(_logs.Lines, l => l.Contains("Answered 503", StringComparison.Ordinal));
        Assert.Contains("System.TimeoutException: Response did not arrive on time in 00:00:10", line, StringComparison.Ordinal);
        Assert.Contains("IConnectSessionGrain", line, StringComparison.Ordinal);
        Assert.Contains("StartAsync()", line, StringComparison.Ordinal);
        Assert.Contains("GET /v1/connect/cs_[redacted]", line, StringComparison.Ordinal);
        Assert.DoesNotContain(SessionId[3..], _logs.All, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TryHandleAsync_SiloUnavailableWithInnerFailure_LogsBothTypesAndMessages()
    {
        var failure = new SiloUnavailableException(
            "The target silo became unavailable for message: Request [S127.0.0.1:40001:1]->[S127.0.0.1:40003:3 callqueue/ten_01k] CalendarGrains.Calls.ICallQueueGrain.EnqueueAsync(System.String, System.Nullable`1[System.Int64]) #77",
            new OrleansException("Silo S127.0.0.1:40003:3 is known to be dead"));

        await HandleAsync("POST", "/v1/calls", failure);

        var line = Assert.Single(_logs.Lines, l => l.Contains("Answered 503", StringComparison.Ordinal));
        Assert.Contains("Orleans.Runtime.SiloUnavailableException: The target silo became unavailable", line, StringComparison.Ordinal);
        Assert.Contains("ICallQueueGrain.EnqueueAsync", line, StringComparison.Ordinal);
        Assert.Contains("---> Orleans.Runtime.OrleansException: Silo S127.0.0.1:40003:3 is known to be dead", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TryHandleAsync_StorageTimeoutWrappedByOrleans_Is503ToRetry()
    {
        var failure = new OrleansException(
            "Error from storage provider RedisGrainStorage.call during WriteStateAsync for grain calldispatch/call_01k",
            new TimeoutException("Timeout performing EVALSHA (5000ms)"));

        var context = await HandleAsync("POST", "/v1/calls", failure);

        Assert.Equal(StatusCodes.Status503ServiceUnavailable, context.Response.StatusCode);
        Assert.Equal("1", context.Response.Headers.RetryAfter.ToString());
        Assert.Contains(_logs.Lines, l => l.Contains("---> System.TimeoutException: Timeout performing EVALSHA", StringComparison.Ordinal));
    }

    [Fact]
    public async Task TryHandleAsync_UnexpectedFailureHoldingSecrets_LogsTypesMessagesAndFrames_WithNoSecret()
    {
        Exception thrown;
        try
        {
            ThrowHoldingSecrets();
            throw new UnreachableException();
        }
        catch (InvalidOperationException e)
        {
            thrown = e;
        }

        var context = await HandleAsync("POST", "/v1/connections", thrown);

        Assert.Equal(StatusCodes.Status500InternalServerError, context.Response.StatusCode);
        var line = Assert.Single(_logs.Lines, l => l.Contains("Unexpected failure answering POST /v1/connections", StringComparison.Ordinal));
        Assert.Contains("System.InvalidOperationException: Token exchange failed", line, StringComparison.Ordinal);
        Assert.Contains("---> System.FormatException: The input string", line, StringComparison.Ordinal);
        Assert.Contains(nameof(ThrowHoldingSecrets), line, StringComparison.Ordinal); // the stack frames are kept
        foreach (var secret in new[] { ApiKey, AccessToken, RefreshToken, AuthorizationCode, ClientSecret, "s3cr3t-pa55" })
        {
            Assert.DoesNotContain(secret, _logs.All, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("POST https://oauth2.googleapis.com/token?code=4/0AVG7fiQ1a2b3c4d5e6f7g8h9i&state=x failed", "POST https://oauth2.googleapis.com/token?[redacted] failed")]
    [InlineData("{\"refresh_token\":\"1//0gLmNoPq\",\"expires_in\":3599}", "{\"refresh_token\":[redacted],\"expires_in\":3599}")]
    [InlineData("Authorization: Bearer cgk_abc123", "Authorization: Bearer [redacted]")]
    [InlineData("apiKey=vapi-private-0123 rejected", "apiKey=[redacted] rejected")]
    [InlineData("webhook secret whsec_AbC/ signed", "webhook secret whsec_[redacted]/ signed")]
    [InlineData("call call_01k2 of tenant ten_01k3 on connection conn_01k4", "call call_01k2 of tenant ten_01k3 on connection conn_01k4")]
    [InlineData("Response did not arrive on time in 00:00:10", "Response did not arrive on time in 00:00:10")]
    public void Text_MasksSecretShapes_AndKeepsIds(string text, string expected) => Assert.Equal(expected, LogRedaction.Text(text));

    private static void ThrowHoldingSecrets()
    {
        try
        {
            throw new FormatException($"The input string '{ApiKey}' was not in a correct format (password: s3cr3t-pa55).");
        }
        catch (FormatException inner)
        {
            throw new InvalidOperationException(
                $"Token exchange failed for https://oauth2.googleapis.com/token?code={AuthorizationCode}&client_secret={ClientSecret}: " +
                $"refresh_token={RefreshToken}, Authorization: Bearer {AccessToken}",
                inner);
        }
    }

    private async Task<HttpContext> HandleAsync(string method, string path, Exception exception)
    {
        var services = new ServiceCollection();
        services.AddLogging(logging => logging.AddProvider(_logs).SetMinimumLevel(LogLevel.Debug));
        services.AddProblemResponses();
        await using var provider = services.BuildServiceProvider();
        var handler = ActivatorUtilities.CreateInstance<ExceptionProblemHandler>(provider);
        var context = new DefaultHttpContext { RequestServices = provider };
        context.Request.Method = method;
        context.Request.Path = path;
        context.Response.Body = new MemoryStream();

        Assert.True(await handler.TryHandleAsync(context, exception, TestContext.Current.CancellationToken));
        return context;
    }
}
