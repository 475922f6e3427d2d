using CalendarGrains.Webhooks;

namespace CalendarGrains.Nango;

/// <summary>
/// Feeds Nango's <c>auth</c> webhooks from the events the tenant's outbox accepts: every connection
/// event reaches <see cref="IWebhookOutboxGrain.EnqueueAsync"/>, whoever produced it (connect flow,
/// import, refresh), so this is the one place that sees them all without touching the producers.
/// </summary>
/// <remarks>
/// Note: a separate, deliberately small path while the outbox is being rebuilt: once the outbox can
/// deliver one event to a second target in a second format, this filter and
/// <see cref="NangoAuthWebhookDispatcher"/> should become that target. Only calls carrying a
/// <see cref="WebhookEvent"/> to the outbox take the slow branch; every other call passes straight on.
/// </remarks>
public sealed class NangoAuthWebhookFeed(NangoAuthWebhookDispatcher dispatcher) : IIncomingGrainCallFilter
{
    public Task Invoke(IIncomingGrainCallContext context) =>
        context.Request.GetArgumentCount() == 1
        && context.Request.GetArgument(0) is WebhookEvent webhookEvent
        && NangoAuthWebhookPayload.Covers(webhookEvent.Type)
        && context.Request.GetInterfaceType() == typeof(IWebhookOutboxGrain)
            ? InvokeThenFeedAsync(context, webhookEvent)
            : context.Invoke();

    private async Task InvokeThenFeedAsync(IIncomingGrainCallContext context, WebhookEvent webhookEvent)
    {
        await context.Invoke();
        // Accepted by the outbox (it threw otherwise): the change is stored, so it may be announced.
        dispatcher.Offer(context.TargetId.Key.ToString()!, webhookEvent);
    }
}
