using System.Net.Http.Headers;
using CalendarGrains.Sandbox.Vapi.Calls;

namespace CalendarGrains.Sandbox.Vapi.Webhooks;

/// <summary>
/// Posts server messages the way Vapi does: each call's messages in order, one attempt each (Vapi retries
/// only with an opt-in backoff plan), without holding up the API request that caused them. The test
/// switches (off, twice, out of order) are applied here.
/// </summary>
internal sealed class WebhookDispatcher(IHttpClientFactory httpClients, TimeProvider time, ILogger<VapiEmulator> logger) : IDisposable
{
    public const string HttpClientName = "CalendarGrains.Sandbox.Vapi.ServerMessages";

    /// <summary>Bounds the POSTs in flight, so a burst of calls cannot open unbounded connections.</summary>
    private const int MaxConcurrentDeliveries = 8;

    private const int AttemptsKept = 200;

    private readonly SemaphoreSlim _slots = new(MaxConcurrentDeliveries);
    private readonly Lock _attemptsGate = new();
    private readonly Queue<VapiWebhookAttempt> _attempts = new();
    private long _delivered;
    private long _failed;
    private long _skipped;

    public long Delivered => Interlocked.Read(ref _delivered);

    public long Failed => Interlocked.Read(ref _failed);

    public long Skipped => Interlocked.Read(ref _skipped);

    /// <summary>
    /// Queues one message of <paramref name="call"/>. Called under the emulator's lock, so the order in which
    /// a call's messages are queued is the order of its status changes. Answers the sends it started.
    /// </summary>
    public IReadOnlyList<Task> Enqueue(EmulatedCall call, string messageType, byte[] body, bool lastOfCall, VapiEmulatorSettings settings, CancellationToken generation)
    {
        if (!settings.WebhooksEnabled)
        {
            Interlocked.Increment(ref _skipped);
            return [];
        }

        if (call.Server is not { } target)
        {
            Interlocked.Increment(ref _skipped);
            VapiEmulatorLog.NoServerUrl(logger, call.Id, messageType);
            return [];
        }

        var delivery = new PendingDelivery(call.Id, messageType, call.Status, target, body, generation);
        if (settings.OutOfOrderWebhooks && call.HeldDelivery is null && !lastOfCall)
        {
            call.HeldDelivery = delivery;
            return [];
        }

        var sends = new List<Task>();
        foreach (var due in (PendingDelivery?[])[delivery, call.HeldDelivery])
        {
            if (due is null)
            {
                continue;
            }

            sends.Add(Chain(call, due));
            if (settings.DuplicateWebhooks)
            {
                sends.Add(Chain(call, due));
            }
        }

        call.HeldDelivery = null;
        return sends;
    }

    public IReadOnlyList<VapiWebhookAttempt> RecentAttempts()
    {
        lock (_attemptsGate)
        {
            return [.. _attempts];
        }
    }

    public void Reset()
    {
        Interlocked.Exchange(ref _delivered, 0);
        Interlocked.Exchange(ref _failed, 0);
        Interlocked.Exchange(ref _skipped, 0);
        lock (_attemptsGate)
        {
            _attempts.Clear();
        }
    }

    /// <summary>Called once the emulator has cancelled its generation, so no new send starts.</summary>
    public void Dispose() => _slots.Dispose();

    private Task Chain(EmulatedCall call, PendingDelivery delivery)
    {
        var previous = call.DeliveryTail;

        // Task.Run: the POST starts outside the emulator's lock, after the call's previous message.
        var send = Task.Run(async () =>
        {
            await previous;
            await SendAsync(delivery);
        });
        call.DeliveryTail = send;
        return send;
    }

    /// <summary>One attempt; never throws, so a failure cannot stall the call's later messages.</summary>
    private async Task SendAsync(PendingDelivery delivery)
    {
        try
        {
            await _slots.WaitAsync(delivery.Generation);
        }
        catch (Exception exception) when (exception is OperationCanceledException or ObjectDisposedException)
        {
            return;
        }

        try
        {
            using var timeout = new CancellationTokenSource(delivery.Target.Timeout, time);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, delivery.Generation);
            using var request = BuildRequest(delivery);
            using var response = await httpClients.CreateClient(HttpClientName).SendAsync(request, linked.Token);
            var status = (int)response.StatusCode;
            Record(delivery, status, response.IsSuccessStatusCode ? null : $"HTTP {status}");
        }
        catch (OperationCanceledException) when (delivery.Generation.IsCancellationRequested)
        {
            // Reset or shutdown: the call is forgotten, and so is this message.
        }
        catch (OperationCanceledException)
        {
            Record(delivery, null, "timed out");
        }
#pragma warning disable CA1031 // A receiver's failure of any kind is a failed delivery, counted; never a crash.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            Record(delivery, null, $"{exception.GetType().Name}: {exception.Message}");
        }
        finally
        {
            ReleaseSlot();
        }
    }

    private void ReleaseSlot()
    {
        try
        {
            _slots.Release();
        }
        catch (ObjectDisposedException)
        {
            // Shutdown overtook this send; there is nothing left to release.
        }
    }

    private static HttpRequestMessage BuildRequest(PendingDelivery delivery)
    {
        var content = new ByteArrayContent(delivery.Body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        var request = new HttpRequestMessage(HttpMethod.Post, delivery.Target.Url) { Content = content };
        foreach (var (name, value) in delivery.Target.Headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        if (delivery.Target.Secret is { } secret && !request.Headers.Contains("X-Vapi-Secret"))
        {
            request.Headers.TryAddWithoutValidation("X-Vapi-Secret", secret);
        }

        return request;
    }

    private void Record(PendingDelivery delivery, int? statusCode, string? failure)
    {
        if (delivery.Generation.IsCancellationRequested)
        {
            return;
        }

        if (failure is null)
        {
            Interlocked.Increment(ref _delivered);
        }
        else
        {
            Interlocked.Increment(ref _failed);
            VapiEmulatorLog.ServerMessageFailed(logger, delivery.MessageType, delivery.CallId, delivery.Target.DisplayUrl, failure);
        }

        var attempt = new VapiWebhookAttempt(
            time.GetUtcNow(), delivery.CallId, delivery.MessageType, delivery.Status, delivery.Target.DisplayUrl, statusCode, failure);
        lock (_attemptsGate)
        {
            _attempts.Enqueue(attempt);
            while (_attempts.Count > AttemptsKept)
            {
                _attempts.Dequeue();
            }
        }
    }
}
