using CalendarGrains.Webhooks;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace CalendarGrains.Tests.Infrastructure;

/// <summary>
/// The service's real webhook outbox store (memory or Redis) behind a <see cref="FaultSwitch"/>:
/// writes fail on command (their subject is <c>{operation} {outbox key}</c>, e.g. <c>add ten_…</c>),
/// loads always work.
/// </summary>
/// <remarks>
/// Why its own decorator: the outboxes keep their events in <see cref="IWebhookStore"/>, one record
/// per event, not in grain storage, so <see cref="FaultyStorage"/> no longer reaches them.
/// </remarks>
public sealed class FaultyWebhookStore(IWebhookStore inner, FaultSwitch faults) : IWebhookStore
{
    /// <summary>Wraps whatever <see cref="IWebhookStore"/> the host registered (call from the host's configure hook).</summary>
    public static void Install(WebApplicationBuilder builder, FaultSwitch faults)
    {
        var registered = builder.Services.Last(d => d.ServiceType == typeof(IWebhookStore));
        builder.Services.Remove(registered);
        builder.Services.AddSingleton<IWebhookStore>(services => new FaultyWebhookStore(Create(services, registered), faults));
    }

    public Task<WebhookStoreSnapshot> LoadAsync(string tenantId) => inner.LoadAsync(tenantId);

    public Task<bool> AddAsync(string tenantId, PendingWebhook pending, IReadOnlyList<WebhookDelivery> overflow, DateTimeOffset now, TimeSpan remember)
    {
        faults.ThrowIfArmed($"add {tenantId}");
        return inner.AddAsync(tenantId, pending, overflow, now, remember);
    }

    public Task<bool> RefuseAsync(string tenantId, WebhookDelivery outcome, DateTimeOffset now, TimeSpan remember)
    {
        faults.ThrowIfArmed($"refuse {tenantId}");
        return inner.RefuseAsync(tenantId, outcome, now, remember);
    }

    public Task UpdateAsync(string tenantId, PendingWebhook pending, string? lastError)
    {
        faults.ThrowIfArmed($"update {tenantId}");
        return inner.UpdateAsync(tenantId, pending, lastError);
    }

    public Task<int> CompleteAsync(string tenantId, IReadOnlyList<WebhookDelivery> outcomes, DateTimeOffset now, TimeSpan remember, string? lastError)
    {
        faults.ThrowIfArmed($"complete {tenantId}");
        return inner.CompleteAsync(tenantId, outcomes, now, remember, lastError);
    }

    public Task ImportAsync(string tenantId, IReadOnlyList<PendingWebhook> pending, long delivered, long dropped, string? lastError)
    {
        faults.ThrowIfArmed($"import {tenantId}");
        return inner.ImportAsync(tenantId, pending, delivered, dropped, lastError);
    }

    private static IWebhookStore Create(IServiceProvider services, ServiceDescriptor registered) =>
        (IWebhookStore)(registered.ImplementationInstance
            ?? registered.ImplementationFactory?.Invoke(services)
            ?? ActivatorUtilities.CreateInstance(services, registered.ImplementationType!));
}
