using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace CalendarGrains.Tests.Webhooks;

/// <summary>One request the receiver got, as it got it, and the status it answered.</summary>
public sealed record ReceivedWebhook(string Path, string Query, IReadOnlyDictionary<string, string> Headers, byte[] Body, int Status)
{
    public string BodyText => Encoding.UTF8.GetString(Body);

    public string Id => Headers["webhook-id"];

    public bool Succeeded => Status is >= 200 and < 300;
}

/// <summary>
/// A tenant's webhook endpoint: Kestrel on a free loopback port that records every request
/// (headers and raw body) and answers 200, or a given status for the next N requests, or holds
/// requests until released.
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly object _gate = new();
    private readonly List<ReceivedWebhook> _received = [];
    private readonly List<string> _arrivals = [];
    private readonly WebApplication _app;
    private int _failuresLeft;
    private int _failureStatus = 500;
    private TaskCompletionSource _held = Completed();
    private int _inFlight;
    private int _maxInFlight;

    private WebhookReceiver(WebApplication app)
    {
        _app = app;
        app.Run(HandleAsync);
    }

    public Uri BaseUrl { get; private set; } = null!;

    /// <summary>The endpoint to give a tenant as its webhook URL.</summary>
    public string Url(string query = "") => new Uri(BaseUrl, "/hooks" + query).ToString();

    public IReadOnlyList<ReceivedWebhook> Received
    {
        get
        {
            lock (_gate)
            {
                return [.. _received];
            }
        }
    }

    /// <summary>The webhook-id of each request in the order they arrived (before any was answered).</summary>
    public IReadOnlyList<string> Arrivals
    {
        get
        {
            lock (_gate)
            {
                return [.. _arrivals];
            }
        }
    }

    public IReadOnlyList<ReceivedWebhook> Delivered => [.. Received.Where(r => r.Succeeded)];

    /// <summary>Requests being answered right now (held ones included).</summary>
    public int InFlight => Volatile.Read(ref _inFlight);

    public int MaxInFlight => Volatile.Read(ref _maxInFlight);

    public static async Task<WebhookReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = ["--urls=http://127.0.0.1:0"] });
        builder.Logging.ClearProviders();
        var receiver = new WebhookReceiver(builder.Build());
        await receiver._app.StartAsync(TestContext.Current.CancellationToken);
        receiver.BaseUrl = new Uri(receiver._app.Urls.First());
        return receiver;
    }

    /// <summary>The next <paramref name="count"/> requests are answered with <paramref name="status"/>.</summary>
    public void FailNext(int count, int status = 500)
    {
        lock (_gate)
        {
            _failuresLeft = count;
            _failureStatus = status;
        }
    }

    public void FailAll(int status = 500) => FailNext(int.MaxValue, status);

    public void SucceedFromNowOn() => FailNext(0);

    /// <summary>Requests arriving from now on wait (unanswered) until <see cref="Release"/>.</summary>
    public void Hold()
    {
        lock (_gate)
        {
            _held = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
    }

    public void Release()
    {
        lock (_gate)
        {
            _held.TrySetResult();
            _held = Completed();
        }
    }

    private async Task HandleAsync(HttpContext context)
    {
        var inFlight = Interlocked.Increment(ref _inFlight);
        InterlockedMax(ref _maxInFlight, inFlight);
        try
        {
            using var body = new MemoryStream();
            await context.Request.Body.CopyToAsync(body, context.RequestAborted);
            Task held;
            lock (_gate)
            {
                _arrivals.Add(context.Request.Headers["webhook-id"].ToString());
                held = _held.Task;
            }

            await held.WaitAsync(context.RequestAborted);
            int status;
            lock (_gate)
            {
                status = _failuresLeft > 0 ? _failureStatus : StatusCodes.Status200OK;
                if (_failuresLeft > 0)
                {
                    _failuresLeft--;
                }

                var headers = context.Request.Headers.ToDictionary(h => h.Key.ToLowerInvariant(), h => h.Value.ToString(), StringComparer.Ordinal);
                _received.Add(new ReceivedWebhook(context.Request.Path, context.Request.QueryString.Value ?? "", headers, body.ToArray(), status));
            }

            context.Response.StatusCode = status;
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int current;
        while ((current = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, current) != current)
        {
        }
    }

    private static TaskCompletionSource Completed()
    {
        var done = new TaskCompletionSource();
        done.SetResult();
        return done;
    }

    public async ValueTask DisposeAsync()
    {
        Release();
        await _app.StopAsync(CancellationToken.None);
        await _app.DisposeAsync();
    }
}
