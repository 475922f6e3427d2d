using CalendarGrains.Common;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Polly;
using Microsoft.Extensions.Options;

namespace CalendarGrains.Webhooks;

public static class WebhookServiceCollectionExtensions
{
    /// <summary>
    /// What the webhook outbox grain needs: <see cref="WebhookOptions"/> bound from <c>Webhooks:*</c>
    /// and validated at start, the <c>webhooks</c> HTTP client, and an event store: the in-memory one
    /// unless the host registered another (Redis mode registers <see cref="RedisWebhookStore"/>).
    /// </summary>
    public static IServiceCollection AddWebhookOutbox(this IServiceCollection services)
    {
        services.AddServiceTime();
        services.AddOptions<WebhookOptions>().BindConfiguration(WebhookOptions.Section).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<WebhookOptions>, WebhookOptionsValidator>());
        services.TryAddSingleton<WebhookSender>();
        services.TryAddSingleton<WebhookTargets>();
        services.TryAddSingleton<IWebhookStore, InMemoryWebhookStore>();
        var client = services.AddHttpClient(WebhookSender.HttpClientName, client => client.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler
            {
                // A redirect is the endpoint's answer (a failure), not an instruction to POST elsewhere.
                AllowAutoRedirect = false,
                // One handler serves every tenant: a cookie set by one endpoint must never reach another.
                UseCookies = false,
            })
            // The factory's request logs print the full URL, and a tenant's query string may hold a token.
            .RemoveAllLoggers();

        // The outbox is the retry layer (durable, on a reminder): a resilience handler added to every
        // client (through ConfigureHttpClientDefaults) must not retry here too, so those are removed
        // and this client's own handler only bounds one attempt. The API is marked experimental; the
        // outbox tests count requests per attempt, so a change in its behaviour shows.
#pragma warning disable EXTEXP0001
        client.RemoveAllResilienceHandlers();
#pragma warning restore EXTEXP0001
        client.AddResilienceHandler(WebhookSender.HttpClientName, (pipeline, context) =>
            pipeline.AddTimeout(context.ServiceProvider.GetRequiredService<IOptions<WebhookOptions>>().Value.AttemptTimeout));
        return services;
    }
}
