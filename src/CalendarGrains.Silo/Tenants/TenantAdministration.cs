using CalendarGrains.Common;
using CalendarGrains.Indexing;
using CalendarGrains.Tenants;

namespace CalendarGrains.Silo.Tenants;

/// <summary>
/// The operator's tenant work shared by <c>/v1/tenants</c> and the console: create, change, and list
/// a page. Creating or changing a tenant's Google client tells the <see cref="ITenantClientObserver"/>s
/// (the sandbox host's registers it at the emulated Google), whichever of the two did it.
/// </summary>
public sealed class TenantAdministration(
    IGrainFactory grains, IOrderedIndex index, [FromKeyedServices(ServiceTime.Key)] TimeProvider time, IEnumerable<ITenantClientObserver> observers)
{
    /// <summary>Creates a tenant under a new id; the answer holds its secrets, shown only this once.</summary>
    public async Task<TenantCreated> CreateAsync(TenantDefinition definition, CancellationToken cancellationToken = default)
    {
        var created = await grains.GetGrain<ITenantGrain>(Ids.NewTenantId(time)).CreateAsync(definition);
        await TellObserversAsync(created.Tenant.Id, definition.Google.ClientId, definition.Google.ClientSecret, cancellationToken);
        return created;
    }

    /// <summary>Changes the members given; null when there is no such tenant.</summary>
    public async Task<TenantView?> UpdateAsync(string id, TenantChanges changes, CancellationToken cancellationToken = default)
    {
        var view = IsTenantId(id) ? await grains.GetGrain<ITenantGrain>(id).UpdateAsync(changes) : null;

        // Only a new secret says what the client is now; a new id alone keeps the secret we never read back.
        if (view is not null && changes.Google?.ClientSecret is { } secret)
        {
            await TellObserversAsync(id, view.Google.ClientId, secret, cancellationToken);
        }

        return view;
    }

    /// <summary>Every tenant, a page at a time in id (creation) order; the id the next page starts after, or null.</summary>
    public async Task<(IReadOnlyList<TenantView> Tenants, string? NextAfter)> PageAsync(string? after, int limit)
    {
        var ids = await index.PageAsync(TenantDefaults.IndexSet, after, limit);
        var views = await Task.WhenAll(ids.Select(id => grains.GetGrain<ITenantGrain>(id).GetAsync()));
        return ([.. views.OfType<TenantView>()], ids.Count == limit ? ids[^1] : null);
    }

    /// <summary>Only ids we could have issued reach a grain: a random path segment activates nothing.</summary>
    public static bool IsTenantId(string? id) =>
        id is not null && id.StartsWith(Ids.TenantPrefix, StringComparison.Ordinal) && id.Length == Ids.TenantPrefix.Length + 26;

    private async Task TellObserversAsync(string tenantId, string clientId, string clientSecret, CancellationToken cancellationToken)
    {
        foreach (var observer in observers)
        {
            await observer.GoogleClientSetAsync(tenantId, clientId, clientSecret, cancellationToken);
        }
    }
}
