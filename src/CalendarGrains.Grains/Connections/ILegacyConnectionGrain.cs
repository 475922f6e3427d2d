namespace CalendarGrains.Connections;

/// <summary>
/// A connection imported before ids were scoped per tenant lives under its bare id. The scoped grain
/// (<see cref="ConnectionKeys"/>) asks it once, when first activated, for its state, stores it under
/// its own key, then tells it to forget: afterwards only the scoped grain holds the connection.
/// </summary>
/// <remarks>Internal to the connection grains; nothing else calls it.</remarks>
[Alias("cg.ILegacyConnectionGrain")]
public interface ILegacyConnectionGrain : IGrainWithStringKey
{
    /// <summary>The live connection's state (token material still sealed under the bare id), or null when it is not the tenant's.</summary>
    Task<ConnectionState?> HandOverAsync(string tenantId);

    /// <summary>Erases the state the scoped grain now holds, and the bare id's place in the cluster-wide counts.</summary>
    Task ForgetAsync(string tenantId);
}
