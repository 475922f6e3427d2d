using System.Diagnostics.CodeAnalysis;
using CalendarGrains.Common;

namespace CalendarGrains.Connections;

/// <summary>
/// Where a connection's grain lives. A tenant's connection ids are its own namespace, as in Nango
/// (where an id is scoped to its environment): two tenants may each import a connection <c>X</c>,
/// and nothing tells one that the other's exists.
/// </summary>
/// <remarks>
/// <para>
/// An id this service generated (<c>conn_</c> and a ULID) is unique and unguessable by itself and is
/// its own grain key, as before. An imported id is free-form (a Nango user id, say), so its key
/// names the tenant: <c>{tenantId}/{connectionId}</c> (imported ids hold no <c>/</c>). The key is
/// also the OAuth client id of the connection's Vapi custom credential, so <c>/oauth2/token</c>
/// finds the one grain without anything else to look up.
/// </para>
/// <para>
/// Note: connections imported before ids were scoped live under their bare id. The scoped grain
/// adopts such a connection the first time it is activated (<see cref="ILegacyConnectionGrain"/>),
/// so they stay readable, listed and refreshable; their Vapi custom credential (client id = the
/// bare id) must be issued again.
/// </para>
/// </remarks>
public static class ConnectionKeys
{
    private const char Separator = '/';

    /// <summary>The grain key of the tenant's connection <paramref name="connectionId"/>.</summary>
    public static string For(string tenantId, string connectionId) =>
        Ids.IsConnectionId(connectionId) ? connectionId : string.Concat(tenantId, "/", connectionId);

    /// <summary>The connection id a key stands for (what the tenant sees).</summary>
    public static string IdOf(string key) => TryParseScoped(key, out _, out var connectionId) ? connectionId : key;

    /// <summary>True for the key of an imported id: its tenant and its id.</summary>
    public static bool TryParseScoped(string? key, [NotNullWhen(true)] out string? tenantId, [NotNullWhen(true)] out string? connectionId)
    {
        (tenantId, connectionId) = (null, null);
        const int tenantLength = 30; // "ten_" and a ULID
        if (key is null || key.Length <= tenantLength + 1 || key[tenantLength] != Separator || !Ids.IsTenantId(key[..tenantLength]))
        {
            return false;
        }

        (tenantId, connectionId) = (key[..tenantLength], key[(tenantLength + 1)..]);
        return true;
    }

    /// <summary>The tenant's connection <paramref name="connectionId"/>: the one way code reaches a connection grain.</summary>
    /// <remarks>
    /// Note: <c>GetGrain&lt;T&gt;(string)</c> resolves the interface's grain type from its attributes on
    /// every call (about 2% of the token hot path); both types are fixed for the process, so they are
    /// resolved once and a reference is made from the id.
    /// </remarks>
    public static IConnectionGrain Connection(this IGrainFactory grains, string tenantId, string connectionId)
    {
        var types = _types ??= GrainTypes.Of(grains);
        return (IConnectionGrain)grains.GetGrain(GrainId.Create(types.Grain, For(tenantId, connectionId)), types.Interface);
    }

    /// <summary>Set once, by whichever call comes first (all find the same); a reference, so never read half-written.</summary>
    private static GrainTypes? _types;

    private sealed record GrainTypes(GrainType Grain, GrainInterfaceType Interface)
    {
        public static GrainTypes Of(IGrainFactory grains)
        {
            var sample = (GrainReference)grains.GetGrain<IConnectionGrain>("type-probe");
            return new GrainTypes(sample.GrainId.Type, sample.InterfaceType);
        }
    }
}
