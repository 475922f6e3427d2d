using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Threading.Channels;
using CalendarGrains.Security;
using CalendarGrains.Tenants;
using CalendarGrains.Webhooks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CalendarGrains.Nango;

/// <summary>
/// Sends Nango's <c>auth</c> webhooks to the tenants that set a Nango webhook URL, signed as Nango
/// signs them. Like Nango, it tries a few times and then gives up; it keeps nothing across a
/// restart. Our Standard Webhooks (the outbox) remain the durable, at-least-once channel.
/// </summary>
public sealed partial class NangoAuthWebhookDispatcher(
    IGrainFactory grains,
    ISecretProtector protector,
    IHttpClientFactory httpClients,
    IOptions<NangoWebhookOptions> options,
    ILogger<NangoAuthWebhookDispatcher> logger) : BackgroundService
{
    public const string HttpClientName = "nango-webhooks";

    private const int RememberedIds = 10_000;

    private readonly Channel<(string TenantId, WebhookEvent Event)> _queue = Channel.CreateBounded<(string, WebhookEvent)>(
        new BoundedChannelOptions(options.Value.QueueCapacity) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = false });

    // A producer hands an event to the outbox again until it is acknowledged: send each id once.
    private readonly ConcurrentDictionary<string, byte> _seen = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> _seenOrder = new();

    /// <summary>Queues an accepted event; never blocks the outbox's turn.</summary>
    public void Offer(string tenantId, WebhookEvent webhookEvent)
    {
        var key = tenantId + "/" + webhookEvent.Id;
        if (!_seen.TryAdd(key, 0))
        {
            return;
        }

        _seenOrder.Enqueue(key);
        while (_seenOrder.Count > RememberedIds && _seenOrder.TryDequeue(out var oldest))
        {
            _seen.TryRemove(oldest, out _);
        }

        if (!_queue.Writer.TryWrite((tenantId, webhookEvent)))
        {
            LogQueueFull(logger, webhookEvent.Id, tenantId);
        }
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Parallel.ForEachAsync(
            _queue.Reader.ReadAllAsync(stoppingToken),
            new ParallelOptions { MaxDegreeOfParallelism = options.Value.Concurrency, CancellationToken = stoppingToken },
            async (item, cancellationToken) =>
            {
                try
                {
                    await DeliverAsync(item.TenantId, item.Event, cancellationToken);
                }
                catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                {
                    LogFailed(logger, e, item.Event.Id, item.Event.Type, item.TenantId);
                }
            }).ContinueWith(_ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);

    private async Task DeliverAsync(string tenantId, WebhookEvent webhookEvent, CancellationToken cancellationToken)
    {
        var tenant = grains.GetGrain<ITenantGrain>(tenantId);
        if (await tenant.GetAsync() is not { Nango: { WebhookUrl: { } url } nango }
            || !Uri.TryCreate(url, UriKind.Absolute, out var target)
            || await tenant.GetSecretsAsync() is not { NangoWebhookSigningKey: { } sealedKey })
        {
            return;
        }

        var body = NangoAuthWebhookPayload.Build(webhookEvent, nango.Environment);
        if (body is null)
        {
            return;
        }

        var key = protector.Unprotect(sealedKey, TenantSecretPurposes.NangoWebhookSigningKey(tenantId));
        using var request = new HttpRequestMessage(HttpMethod.Post, target) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.TryAddWithoutValidation(NangoWebhookSignature.LegacyHeader, NangoWebhookSignature.Legacy(key, body));
        request.Headers.TryAddWithoutValidation(NangoWebhookSignature.HmacHeader, NangoWebhookSignature.Hmac(key, body));
        using var response = await httpClients.CreateClient(HttpClientName).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        if (response.IsSuccessStatusCode)
        {
            LogDelivered(logger, webhookEvent.Id, webhookEvent.Type, tenantId, (int)response.StatusCode);
        }
        else
        {
            LogRefused(logger, webhookEvent.Id, webhookEvent.Type, tenantId, (int)response.StatusCode);
        }
    }

    [LoggerMessage(EventId = 1311, EventName = "NangoWebhookDelivered", Level = LogLevel.Debug,
        Message = "Nango auth webhook for {EventId} ({EventType}) of tenant {TenantId} delivered: HTTP {Status}")]
    private static partial void LogDelivered(ILogger logger, string eventId, string eventType, string tenantId, int status);

    [LoggerMessage(EventId = 1312, EventName = "NangoWebhookRefused", Level = LogLevel.Warning,
        Message = "Nango auth webhook for {EventId} ({EventType}) of tenant {TenantId} was answered HTTP {Status}; not sent again")]
    private static partial void LogRefused(ILogger logger, string eventId, string eventType, string tenantId, int status);

    [LoggerMessage(EventId = 1313, EventName = "NangoWebhookFailed", Level = LogLevel.Warning,
        Message = "Nango auth webhook for {EventId} ({EventType}) of tenant {TenantId} could not be delivered; not sent again")]
    private static partial void LogFailed(ILogger logger, Exception exception, string eventId, string eventType, string tenantId);

    [LoggerMessage(EventId = 1314, EventName = "NangoWebhookQueueFull", Level = LogLevel.Warning,
        Message = "Nango auth webhook for {EventId} of tenant {TenantId} dropped: the queue is full")]
    private static partial void LogQueueFull(ILogger logger, string eventId, string tenantId);
}
