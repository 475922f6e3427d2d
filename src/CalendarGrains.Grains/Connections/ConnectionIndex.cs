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

    /// <summary>Lists the connection under <paramref name="status"/> only; null (or <see cref="ConnectionStatus.Revoked"/>: deleted) lists it nowhere.</summary>
    public Task EnsureAsync(string tenantId, string connectionId, ConnectionStatus? status)
    {
        var listedAs = status is ConnectionStatus.Revoked ? null : status;
        List<string> memberOf = [];
        List<string> notMemberOf = [];
        (listedAs is null ? notMemberOf : memberOf).Add(ConnectionIndexSets.All(tenantId));
        foreach (var candidate in Listed)
        {
            var sets = candidate == listedAs ? memberOf : notMemberOf;
            sets.Add(ConnectionIndexSets.ByStatus(tenantId, candidate));
            sets.Add(ConnectionIndexSets.Everywhere(candidate));
        }

        return index.EnsureMembershipAsync(connectionId, memberOf, notMemberOf);
    }
}
