using CalendarGrains.Common;
using CalendarGrains.Indexing;
using CalendarGrains.Tenants;
using CalendarGrains.Webhooks;
using Microsoft.Extensions.Options;

namespace CalendarGrains.Silo.Tenants;

/// <summary>
/// The operator's tenant work shared by <c>/v1/tenants</c> and the console: create, change, rotate a
/// secret, list a page. The URLs this service will call are checked here (<see cref="TenantUrls"/>),
/// so neither door can store one that points inside the network.
/// </summary>
public sealed class TenantAdministration(
    IGrainFactory grains, IOrderedIndex index, IOptions<WebhookOptions> webhooks, [FromKeyedServices(ServiceTime.Key)] TimeProvider time)
{
    /// <summary>Creates a tenant under a new id; the answer holds its secrets, shown only this once. Refused: nothing created.</summary>
    public async Task<(TenantCreated? Created, RefusedTenantUrl? Refused)> CreateAsync(CreateTenantRequest request)
    {
        if (RefusedUrl(request.WebhookUrl, request.Nango?.WebhookUrl) is { } refused)
        {
            return (null, refused);
        }

        return (await grains.GetGrain<ITenantGrain>(Ids.NewTenantId(time)).CreateAsync(request.ToDefinition()), null);
    }

    /// <summary>Changes the members the request names; a null view when there is no such tenant. Refused: nothing changed.</summary>
    public async Task<(TenantView? Tenant, RefusedTenantUrl? Refused)> UpdateAsync(string id, UpdateTenantRequest request)
    {
        if (RefusedUrl(request.WebhookUrl, request.Nango?.WebhookUrl) is { } refused)
        {
            return (null, refused);
        }

        return (IsTenantId(id) ? await grains.GetGrain<ITenantGrain>(id).UpdateAsync(request.ToChanges()) : null, null);
    }

    /// <summary>A new secret, shown this once (the replaced one works for <see cref="SecretRotated.Grace"/>); null when there is no such tenant.</summary>
    public async Task<SecretRotated?> RotateSecretAsync(string id, RotatableSecret secret) =>
        IsTenantId(id) ? await grains.GetGrain<ITenantGrain>(id).RotateSecretAsync(secret) : null;

    /// <summary>Every tenant, a page at a time in id (creation) order; the id the next page starts after, or null.</summary>
    public async Task<(IReadOnlyList<TenantView> Tenants, string? NextAfter)> PageAsync(string? after, int limit)
    {
        var ids = await index.PageAsync(TenantDefaults.IndexSet, after, limit);
        var views = await Task.WhenAll(ids.Select(id => grains.GetGrain<ITenantGrain>(id).GetAsync()));
        return ([.. views.OfType<TenantView>()], ids.Count == limit ? ids[^1] : null);
    }

    /// <summary>Only ids we could have issued reach a grain: a random path segment activates nothing.</summary>
    public static bool IsTenantId([System.Diagnostics.CodeAnalysis.NotNullWhen(true)] string? id) => Ids.IsTenantId(id);

    private RefusedTenantUrl? RefusedUrl(string? webhookUrl, string? nangoWebhookUrl) =>
        TenantUrls.Check(webhooks.Value.AllowPrivateNetworks, ("webhookUrl", webhookUrl), ("nango.webhookUrl", nangoWebhookUrl));
}
