using CalendarGrains.Common;
using CalendarGrains.Indexing;
using CalendarGrains.Tenants;
using CalendarGrains.Webhooks;
using Microsoft.Extensions.Options;

namespace CalendarGrains.Silo.Tenants;

/// <summary>
/// The operator's tenant work shared by <c>/v1/tenants</c> and the console: create, change, rotate a
/// secret, list a page. The URLs this service will call are checked here (<see cref="TenantUrls"/>),
/// so neither door can store one that points inside the network. Creating or changing a tenant's
/// Google client tells the <see cref="ITenantClientObserver"/>s (the sandbox host's registers it at
/// the emulated Google), whichever of the two did it.
/// </summary>
public sealed class TenantAdministration(
    IGrainFactory grains,
    IOrderedIndex index,
    IOptions<WebhookOptions> webhooks,
    [FromKeyedServices(ServiceTime.Key)] TimeProvider time,
    IEnumerable<ITenantClientObserver> observers)
{
    /// <summary>Creates a tenant under a new id; the answer holds its secrets, shown only this once. Refused: nothing created.</summary>
    public async Task<(TenantCreated? Created, RefusedTenantUrl? Refused)> CreateAsync(CreateTenantRequest request, CancellationToken cancellationToken = default)
    {
        if (RefusedUrl(request.WebhookUrl, request.Nango?.WebhookUrl) is { } refused)
        {
            return (null, refused);
        }

        var definition = request.ToDefinition();
        var created = await grains.GetGrain<ITenantGrain>(Ids.NewTenantId(time)).CreateAsync(definition);
        await TellObserversAsync(created.Tenant.Id, definition.Google.ClientId, definition.Google.ClientSecret, cancellationToken);
        return (created, null);
    }

    /// <summary>Changes the members the request names; a null view when there is no such tenant. Refused: nothing changed.</summary>
    public async Task<(TenantView? Tenant, RefusedTenantUrl? Refused)> UpdateAsync(string id, UpdateTenantRequest request, CancellationToken cancellationToken = default)
    {
        if (RefusedUrl(request.WebhookUrl, request.Nango?.WebhookUrl) is { } refused)
        {
            return (null, refused);
        }

        var changes = request.ToChanges();
        var view = IsTenantId(id) ? await grains.GetGrain<ITenantGrain>(id).UpdateAsync(changes) : null;

        // Only a new secret says what the client is now; a new id alone keeps the secret we never read back.
        if (view is not null && changes.Google?.ClientSecret is { } secret)
        {
            await TellObserversAsync(id, view.Google.ClientId, secret, cancellationToken);
        }

        return (view, null);
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

    private async Task TellObserversAsync(string tenantId, string clientId, string clientSecret, CancellationToken cancellationToken)
    {
        foreach (var observer in observers)
        {
            await observer.GoogleClientSetAsync(tenantId, clientId, clientSecret, cancellationToken);
        }
    }
}
