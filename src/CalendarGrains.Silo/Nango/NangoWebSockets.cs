using System.Net.WebSockets;
using System.Text;
using CalendarGrains.Common;
using CalendarGrains.Nango;

namespace CalendarGrains.Silo.Nango;

/// <summary>
/// The websocket of Nango's front-end SDK (<c>nango.auth()</c> opens it at the host's root before
/// the popup): we answer <c>connection_ack</c> with a <c>ws_client_id</c>, the popup carries that id
/// through <c>/oauth/connect</c>, and the OAuth callback's outcome comes back here, from whichever
/// silo served it, through an <see cref="INangoAuthWaiterGrain"/>.
/// </summary>
public static partial class NangoWebSockets
{
    /// <summary>As long as a person may take at Google (the state's life), with a margin.</summary>
    private static readonly TimeSpan MaxWait = ConnectSessionsWait();

    private static readonly TimeSpan Renewal = TimeSpan.FromMinutes(1);

    /// <summary>
    /// The websocket middleware, for upgrade requests only (an HTTP/1.1 <c>Upgrade</c> header, or an
    /// HTTP/2 extended <c>CONNECT</c>).
    /// </summary>
    /// <remarks>
    /// Note: the middleware sets up a handshake feature on every request it sees; no other route
    /// needs it, and the token hot path would pay for it on each request.
    /// </remarks>
    public static IApplicationBuilder UseNangoWebSockets(this IApplicationBuilder app) =>
        app.UseWhen(
            context => context.Request.Headers.Upgrade.Count > 0 || HttpMethods.IsConnect(context.Request.Method),
            upgrades => upgrades.UseWebSockets());

    public static IEndpointRouteBuilder MapNangoWebSockets(this IEndpointRouteBuilder app, string path = "/")
    {
        app.MapGet(path, AcceptAsync).AllowAnonymous().ExcludeFromDescription();
        return app;
    }

    /// <summary>A <c>ws_client_id</c> we could have issued: a GUID, so a random value activates nothing.</summary>
    public static bool IsClientId(string? value) => value is { Length: 36 } && Guid.TryParseExact(value, "D", out _);

    private static async Task<IResult> AcceptAsync(
        HttpContext context,
        IGrainFactory grains,
        [FromKeyedServices(ServiceTime.Key)] TimeProvider time,
        ILogger<NangoAuthSocket> logger)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            return Results.NotFound();
        }

        using var socket = await context.WebSockets.AcceptWebSocketAsync();
        var wsClientId = Guid.NewGuid().ToString("D");
        var observer = new NangoAuthSocket();
        var reference = grains.CreateObjectReference<INangoAuthObserver>(observer);
        var waiter = grains.GetGrain<INangoAuthWaiterGrain>(wsClientId);
        var aborted = context.RequestAborted;
        try
        {
            observer.Offer(await waiter.SubscribeAsync(reference));
            await SendAsync(socket, NangoConnectResults.Ack(wsClientId), aborted);
            var closed = WaitForCloseAsync(socket, aborted);
            var deadline = time.GetUtcNow() + MaxWait;
            while (!observer.Outcome.IsCompleted && !closed.IsCompleted && time.GetUtcNow() < deadline)
            {
                using var tick = CancellationTokenSource.CreateLinkedTokenSource(aborted);
                var renew = Task.Delay(Renewal, time, tick.Token);
                await Task.WhenAny(observer.Outcome, closed, renew);
                await tick.CancelAsync();
                if (renew.IsCompletedSuccessfully)
                {
                    observer.Offer(await waiter.SubscribeAsync(reference));
                }
            }

            if (observer.Outcome.IsCompleted && socket.State == WebSocketState.Open)
            {
                await SendAsync(socket, await observer.Outcome, aborted);
                await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "done", aborted);
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException)
        {
            LogSocketEnded(logger, e);
        }
        finally
        {
            try
            {
                await waiter.UnsubscribeAsync();
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                LogSocketEnded(logger, e);
            }

            grains.DeleteObjectReference<INangoAuthObserver>(reference);
        }

        return Results.Empty;
    }

    private static Task SendAsync(WebSocket socket, string message, CancellationToken cancellationToken) =>
        socket.SendAsync(Encoding.UTF8.GetBytes(message), WebSocketMessageType.Text, endOfMessage: true, cancellationToken);

    /// <summary>The SDK sends nothing; reading is how a close (or a dropped socket) is seen.</summary>
    private static async Task WaitForCloseAsync(WebSocket socket, CancellationToken cancellationToken)
    {
        var buffer = new byte[1024];
        try
        {
            while (socket.State == WebSocketState.Open)
            {
                var received = await socket.ReceiveAsync(buffer, cancellationToken);
                if (received.MessageType == WebSocketMessageType.Close)
                {
                    return;
                }
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException)
        {
            // Gone: the loop above ends.
        }
    }

    private static TimeSpan ConnectSessionsWait() => CalendarGrains.Connections.ConnectSessions.StateLifetime + TimeSpan.FromMinutes(5);

    [LoggerMessage(EventId = 1301, EventName = "NangoSocketEnded", Level = LogLevel.Debug, Message = "A Nango front-end websocket ended early")]
    private static partial void LogSocketEnded(ILogger logger, Exception exception);
}

/// <summary>The observer behind one socket: the first outcome offered wins.</summary>
public sealed class NangoAuthSocket : INangoAuthObserver
{
    private readonly TaskCompletionSource<string> _outcome = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task<string> Outcome => _outcome.Task;

    public void Offer(string? message)
    {
        if (message is not null)
        {
            _outcome.TrySetResult(message);
        }
    }

    public Task OnOutcomeAsync(string message)
    {
        Offer(message);
        return Task.CompletedTask;
    }
}
