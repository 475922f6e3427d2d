using System.Diagnostics.CodeAnalysis;
using CalendarGrains.Common;

namespace CalendarGrains.Silo.Connections;

/// <summary>
/// The OAuth client id of a connection's Vapi custom credential (<c>/oauth2/token</c>). A connection
/// id this service generated (<c>conn_</c> and a ULID) is unique by itself and is its own client
/// id; an imported id is free-form (a Nango user id, say) and unique only within its tenant, so its
/// client id names the tenant too: <c>{tenantId}/{connectionId}</c>.
/// </summary>
/// <remarks>
/// Note: both shapes are strict, and checked before any grain is asked, so an anonymous caller
/// trying random client ids activates nothing. A credential issued before imported ids carried
/// their tenant has a bare imported id as its client id and must be issued again.
/// </remarks>
public static class ClientIds
{
    private const char Separator = '/';

    public static string For(string tenantId, string connectionId) =>
        Ids.IsConnectionId(connectionId) ? connectionId : $"{tenantId}{Separator}{connectionId}";

    /// <param name="clientId">As presented.</param>
    /// <param name="connectionId">The connection it names.</param>
    /// <param name="tenantId">The tenant it names; null for a generated connection id (unique by itself).</param>
    public static bool TryParse(string? clientId, [NotNullWhen(true)] out string? connectionId, out string? tenantId)
    {
        (connectionId, tenantId) = (null, null);
        if (Ids.IsConnectionId(clientId))
        {
            connectionId = clientId;
            return true;
        }

        var separator = clientId?.IndexOf(Separator, StringComparison.Ordinal) ?? -1;
        if (separator < 0 || !Ids.IsTenantId(clientId![..separator]) || !ConnectionIds.IsPlausible(clientId[(separator + 1)..]))
        {
            return false;
        }

        (connectionId, tenantId) = (clientId[(separator + 1)..], clientId[..separator]);
        return true;
    }
}
