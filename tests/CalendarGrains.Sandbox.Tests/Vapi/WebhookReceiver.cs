using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace CalendarGrains.Sandbox.Tests.Vapi;

/// <summary>One server message as our service would receive it.</summary>
public sealed record ReceivedMessage(string Path, string? Secret, IReadOnlyDictionary<string, string> Headers, JsonElement Body)
{
    public JsonElement Message => Body.GetProperty("message");

    public string Type => Message.GetProperty("type").GetString()!;

    /// <summary>The status of a status-update; "report" for an end-of-call-report.</summary>
    public string StatusOrReport => Type == "end-of-call-report" ? "report" : Message.GetProperty("status").GetString()!;

    public string CallId => Message.GetProperty("call").GetProperty("id").GetString()!;
}

/// <summary>A real HTTP endpoint on a free loopback port that records every server message it gets.</summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private static readonly TimeSpan DefaultWait = TimeSpan.FromSeconds(5);

    private readonly Lock _gate = new();
    private readonly List<ReceivedMessage> _received = [];
    private TaskCompletionSource _arrived = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private WebApplication _app = null!;
    private volatile int _answer = StatusCodes.Status200OK;

    public Uri BaseUrl { get; private set; } = null!;

    /// <summary>The status code the receiver answers with (e.g. 500 to make deliveries fail).</summary>
    public int Answer
    {
        get => _answer;
        set => _answer = value;
    }

    public IReadOnlyList<ReceivedMessage> Received
    {
        get
        {
            lock (_gate)
            {
                return [.. _received];
            }
        }
    }

    public static async Task<WebhookReceiver> StartAsync()
    {
        var receiver = new WebhookReceiver();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        receiver._app = builder.Build();
        receiver._app.MapPost("/{**path}", receiver.ReceiveAsync);
        await receiver._app.StartAsync();
        receiver.BaseUrl = new Uri(receiver._app.Urls.First());
        return receiver;
    }

    public Uri UrlFor(string path) => new(BaseUrl, path);

    public void Clear()
    {
        lock (_gate)
        {
            _received.Clear();
        }

        Answer = StatusCodes.Status200OK;
    }

    /// <summary>Waits (with a deadline, never a fixed sleep) until the messages received satisfy <paramref name="condition"/>.</summary>
    public async Task<IReadOnlyList<ReceivedMessage>> WaitForAsync(Func<IReadOnlyList<ReceivedMessage>, bool> condition, TimeSpan? timeout = null)
    {
        using var deadline = new CancellationTokenSource(timeout ?? DefaultWait);
        while (true)
        {
            Task arrived;
            IReadOnlyList<ReceivedMessage> snapshot;
            lock (_gate)
            {
                snapshot = [.. _received];
                arrived = _arrived.Task;
            }

            if (condition(snapshot))
            {
                return snapshot;
            }

            try
            {
                await arrived.WaitAsync(deadline.Token);
            }
            catch (OperationCanceledException)
            {
                var seen = string.Join(", ", snapshot.Select(message => $"{message.CallId[..8]}:{message.StatusOrReport}"));
                throw new TimeoutException($"The expected server messages did not arrive; received: [{seen}]");
            }
        }
    }

    public Task<IReadOnlyList<ReceivedMessage>> WaitForCountAsync(int count) =>
        WaitForAsync(messages => messages.Count >= count);

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    private async Task<IResult> ReceiveAsync(HttpContext context, string path)
    {
        var body = await JsonSerializer.DeserializeAsync<JsonElement>(context.Request.Body);
        var headers = context.Request.Headers.ToDictionary(header => header.Key, header => header.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        var message = new ReceivedMessage("/" + path, context.Request.Headers["X-Vapi-Secret"].FirstOrDefault(), headers, body);
        lock (_gate)
        {
            _received.Add(message);
            _arrived.TrySetResult();
            _arrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        return Results.StatusCode(Answer);
    }
}
