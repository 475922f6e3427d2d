using CalendarGrains.Connections;
using CalendarGrains.Indexing;

namespace CalendarGrains.Silo.Connections;

/// <summary>
/// A tenant's connections a page at a time, for <c>GET /v1/connections</c> and the console: one
/// end user's (their grain knows it), or one status's or all (the tenant's ordered index), from an
/// id prefix when one is given. Every page costs O(log N + page) however many connections there
/// are; each id is re-read from its grain, which is the truth (the index may lag a change by a moment).
/// </summary>
public sealed class ConnectionListing(IGrainFactory grains, IOrderedIndex index)
{
    public async Task<ConnectionPage> PageAsync(string tenantId, ConnectionFilter filter, string? after, int limit)
    {
        IReadOnlyList<string> ids;
        var more = false;
        if (filter.EndUserId is not null)
        {
            // One connection per end user: a single page, never a next one.
            var id = await grains.GetGrain<IEndUserGrain>(EndUserKeys.For(tenantId, filter.EndUserId)).GetConnectionIdAsync();
            ids = id is null || after is not null || !filter.Matches(id) ? [] : [id];
        }
        else
        {
            var set = filter.Status is { } only ? ConnectionIndexSets.ByStatus(tenantId, only) : ConnectionIndexSets.All(tenantId);
            ids = filter.IdPrefix is { Length: > 0 } prefix && after is null
                ? await index.PageFromAsync(set, prefix, limit)
                : await index.PageAsync(set, after, limit);
            more = ids.Count == limit;

            // Ids are ordered, so the ones with the prefix are one run: the first id without it ends the list.
            var inRun = ids.TakeWhile(filter.Matches).ToList();
            more &= inRun.Count == ids.Count;
            ids = inRun;
        }

        var views = await Task.WhenAll(ids.Select(id => grains.GetGrain<IConnectionGrain>(id).GetAsync(tenantId)));
        var items = views.OfType<ConnectionView>().Where(view => filter.Status is null || view.Status == filter.Status).ToList();
        return new ConnectionPage(items, more ? ids[^1] : null);
    }

    /// <summary>The tenant's connections in each status, from the index's counts (Redis: ZCARD, O(1)).</summary>
    public async Task<IReadOnlyDictionary<ConnectionStatus, long>> CountByStatusAsync(string tenantId)
    {
        var statuses = Enum.GetValues<ConnectionStatus>();
        var counts = await Task.WhenAll(statuses.Select(status => index.CountAsync(ConnectionIndexSets.ByStatus(tenantId, status))));
        return statuses.Zip(counts).ToDictionary(pair => pair.First, pair => pair.Second);
    }
}

/// <summary>Which connections to list; null members do not filter.</summary>
public sealed record ConnectionFilter(ConnectionStatus? Status = null, string? EndUserId = null, string? IdPrefix = null)
{
    public bool Matches(string connectionId) =>
        IdPrefix is not { Length: > 0 } prefix || connectionId.StartsWith(prefix, StringComparison.Ordinal);
}

/// <summary>A page of connections, and the id the next page starts after (null: this was the last).</summary>
public sealed record ConnectionPage(IReadOnlyList<ConnectionView> Items, string? NextAfter);
