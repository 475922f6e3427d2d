using CalendarGrains.Common;
using CalendarGrains.Webhooks;
using Microsoft.Extensions.Logging;

namespace CalendarGrains.Calls;

/// <summary>Queues a call webhook in the tenant's outbox (which persists and delivers it).</summary>
public static partial class CallWebhooks
{
    public static async Task EmitAsync(IGrainFactory grains, TimeProvider time, ILogger logger, string type, CallView call)
    {
        try
        {
            var webhookEvent = new WebhookEvent(Ids.New("evt_", time), type, time.GetUtcNow(), CallResource.Serialize(call));
            await grains.GetGrain<IWebhookOutboxGrain>(call.TenantId).EnqueueAsync(webhookEvent);
        }
        catch (Exception e)
        {
            // The change itself is stored; a lost notification must not undo it.
            LogNotQueued(logger, e, type, call.Id);
        }
    }

    [LoggerMessage(EventId = 620, EventName = "CallWebhookNotQueued", Level = LogLevel.Error, Message = "Could not queue the {EventType} webhook of call {CallId}")]
    private static partial void LogNotQueued(ILogger logger, Exception exception, string eventType, string callId);
}
