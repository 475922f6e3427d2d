using CalendarGrains.Indexing;

namespace CalendarGrains.Connections;

/// <summary>Keeps a connection's place in the list indexes as its status changes.</summary>
public sealed class ConnectionIndex(IOrderedIndex index)
{
    public async Task AddAsync(string tenantId, string connectionId, ConnectionStatus status)
    {
        await index.AddAsync(ConnectionIndexSets.All(tenantId), connectionId);
        await index.AddAsync(ConnectionIndexSets.ByStatus(tenantId, status), connectionId);
        await index.AddAsync(ConnectionIndexSets.Everywhere(status), connectionId);
    }

    public async Task MoveAsync(string tenantId, string connectionId, ConnectionStatus from, ConnectionStatus to)
    {
        if (from == to)
        {
            return;
        }

        await index.MoveAsync(ConnectionIndexSets.ByStatus(tenantId, from), ConnectionIndexSets.ByStatus(tenantId, to), connectionId);
        await index.MoveAsync(ConnectionIndexSets.Everywhere(from), ConnectionIndexSets.Everywhere(to), connectionId);
    }

    public async Task RemoveAsync(string tenantId, string connectionId, ConnectionStatus status)
    {
        await index.RemoveAsync(ConnectionIndexSets.All(tenantId), connectionId);
        await index.RemoveAsync(ConnectionIndexSets.ByStatus(tenantId, status), connectionId);
        await index.RemoveAsync(ConnectionIndexSets.Everywhere(status), connectionId);
    }
}
