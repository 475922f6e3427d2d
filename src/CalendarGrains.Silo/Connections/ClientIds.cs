using System.Diagnostics.CodeAnalysis;
using CalendarGrains.Common;
using CalendarGrains.Connections;

namespace CalendarGrains.Silo.Connections;

/// <summary>
/// The OAuth client id of a connection's Vapi custom credential (<c>/oauth2/token</c>) is its grain
/// key (<see cref="ConnectionKeys"/>): a generated connection id as it is, an imported one as
/// <c>{tenantId}/{connectionId}</c> (imported ids are unique only within their tenant).
/// </summary>
/// <remarks>
/// Note: both shapes are strict, and checked before any grain is asked, so an anonymous caller
/// trying random client ids activates nothing. A credential issued before imported ids carried
/// their tenant has a bare imported id as its client id and must be issued again.
/// </remarks>
public static class ClientIds
{
    public static string For(string tenantId, string connectionId) => ConnectionKeys.For(tenantId, connectionId);

    /// <param name="clientId">As presented.</param>
    /// <param name="key">The grain key of the connection it names.</param>
    public static bool TryParse(string? clientId, [NotNullWhen(true)] out string? key)
    {
        key = Ids.IsConnectionId(clientId) || (ConnectionKeys.TryParseScoped(clientId, out _, out var imported) && ConnectionIds.IsPlausible(imported))
            ? clientId
            : null;
        return key is not null;
    }
}
