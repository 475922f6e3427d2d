using CalendarGrains.Calls;
using CalendarGrains.Indexing;

namespace CalendarGrains.Silo.Calls;

/// <summary>
/// A tenant's calls a page at a time, for <c>GET /v1/calls</c> (oldest first, as the API pages)
/// and the console (newest first): by connection, by status or all, through the tenant's ordered
/// index, O(log N + page) however many calls there are. Each id is re-read from its grain, which is
/// the truth (the index may lag a change by a moment).
/// </summary>
public sealed class CallListing(IGrainFactory grains, IOrderedIndex index)
{
    /// <summary>Oldest first, after <paramref name="after"/>.</summary>
    public async Task<CallPage> PageAsync(string tenantId, CallFilter filter, string? after, int limit)
    {
        var ids = await index.PageAsync(SetFor(tenantId, filter), after, limit);
        return new CallPage(await ReadAsync(tenantId, filter, ids), ids.Count == limit ? ids[^1] : null);
    }

    /// <summary>Newest first, before <paramref name="before"/> (call ids are ULIDs: id order is creation order).</summary>
    public async Task<CallPage> RecentAsync(string tenantId, CallFilter filter, string? before, int limit)
    {
        var ids = await index.PageBackwardAsync(SetFor(tenantId, filter), before, limit);
        return new CallPage(await ReadAsync(tenantId, filter, ids), ids.Count == limit ? ids[^1] : null);
    }

    /// <summary>How many of the tenant's calls the index holds in each status.</summary>
    public async Task<IReadOnlyDictionary<CallStatus, long>> CountByStatusAsync(string tenantId)
    {
        var statuses = Enum.GetValues<CallStatus>();
        var counts = await Task.WhenAll(statuses.Select(status => index.CountAsync(CallIndexSets.ByStatus(tenantId, status))));
        return statuses.Zip(counts).ToDictionary(pair => pair.First, pair => pair.Second);
    }

    private static string SetFor(string tenantId, CallFilter filter) =>
        filter.ConnectionId is not null ? CallIndexSets.ByConnection(tenantId, filter.ConnectionId)
        : filter.Status is { } only ? CallIndexSets.ByStatus(tenantId, only)
        : CallIndexSets.All(tenantId);

    private async Task<IReadOnlyList<CallView>> ReadAsync(string tenantId, CallFilter filter, IReadOnlyList<string> ids)
    {
        var views = await Task.WhenAll(ids.Select(id => grains.GetGrain<ICallDispatchGrain>(id).GetAsync(tenantId)));
        return [.. views.OfType<CallView>().Where(filter.Matches)];
    }
}

/// <summary>Which calls to list; null members do not filter.</summary>
public sealed record CallFilter(CallStatus? Status = null, string? ConnectionId = null)
{
    public bool Matches(CallView call) =>
        (Status is null || call.Status == Status) && (ConnectionId is null || call.ConnectionId == ConnectionId);
}

/// <summary>A page of calls, and the id the next page continues from (null: this was the last).</summary>
public sealed record CallPage(IReadOnlyList<CallView> Items, string? Next);
