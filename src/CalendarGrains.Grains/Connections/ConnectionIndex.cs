using CalendarGrains.Indexing;

namespace CalendarGrains.Connections;

/// <summary>
/// Keeps a connection's place in the list indexes equal to its stored status. Not a sequence of
/// moves but one idempotent "ensure" (listed under this status and no other), so repeating it after
/// a failed write, a lost silo or a retried request always converges to the stored state.
/// </summary>
public sealed class ConnectionIndex(IOrderedIndex index)
{
    private static readonly ConnectionStatus[] Listed = [ConnectionStatus.Active, ConnectionStatus.NeedsReauth, ConnectionStatus.Revoked];

    /// <summary>
    /// Lists the connection under <paramref name="status"/> only; null (or <see cref="ConnectionStatus.Revoked"/>:
    /// deleted) lists it nowhere. The tenant's lists hold its id, the cluster-wide counts its grain
    /// key (<see cref="ConnectionKeys"/>): two tenants' imports of one id are two members there.
    /// </summary>
    public async Task EnsureAsync(string tenantId, string connectionId, string key, ConnectionStatus? status)
    {
        var listedAs = status is ConnectionStatus.Revoked ? null : status;
        List<string> memberOf = [];
        List<string> notMemberOf = [];
        List<string> countedIn = [];
        List<string> notCountedIn = [];
        (listedAs is null ? notMemberOf : memberOf).Add(ConnectionIndexSets.All(tenantId));
        foreach (var candidate in Listed)
        {
            (candidate == listedAs ? memberOf : notMemberOf).Add(ConnectionIndexSets.ByStatus(tenantId, candidate));
            (candidate == listedAs ? countedIn : notCountedIn).Add(ConnectionIndexSets.Everywhere(candidate));
        }

        if (key == connectionId)
        {
            await index.EnsureMembershipAsync(connectionId, [.. memberOf, .. countedIn], [.. notMemberOf, .. notCountedIn]);
            return;
        }

        await index.EnsureMembershipAsync(connectionId, memberOf, notMemberOf);
        await index.EnsureMembershipAsync(key, countedIn, notCountedIn);
    }

    /// <summary>Takes a connection adopted from its bare id out of the cluster-wide counts (its tenant's lists hold the same id).</summary>
    public Task UncountAsync(string key) =>
        index.EnsureMembershipAsync(key, [], [.. Listed.Select(ConnectionIndexSets.Everywhere)]);
}
