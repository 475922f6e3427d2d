using CalendarGrains.Common;
using CalendarGrains.Indexing;
using CalendarGrains.Tenants;

namespace CalendarGrains.Silo.Tenants;

/// <summary>The operator's tenant work shared by <c>/v1/tenants</c> and the console: create, and list a page.</summary>
public sealed class TenantAdministration(IGrainFactory grains, IOrderedIndex index, [FromKeyedServices(ServiceTime.Key)] TimeProvider time)
{
    /// <summary>Creates a tenant under a new id; the answer holds its secrets, shown only this once.</summary>
    public Task<TenantCreated> CreateAsync(TenantDefinition definition) =>
        grains.GetGrain<ITenantGrain>(Ids.NewTenantId(time)).CreateAsync(definition);

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
}
