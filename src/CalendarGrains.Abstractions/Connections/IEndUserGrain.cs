namespace CalendarGrains.Connections;

/// <summary>
/// One grain per (tenant, end user), keyed <c>{tenantId}/{endUserId}</c>: which connection that
/// user has. A single activation makes "one connection per end user" hold under races.
/// </summary>
[Alias("cg.IEndUserGrain")]
public interface IEndUserGrain : IGrainWithStringKey
{
    /// <summary>The user's connection id: the existing one, or <paramref name="candidateId"/> now claimed.</summary>
    Task<string> ClaimAsync(string candidateId);

    [ReadOnly]
    Task<string?> GetConnectionIdAsync();

    /// <summary>Forgets the mapping if it still points at <paramref name="connectionId"/>.</summary>
    Task ReleaseAsync(string connectionId);
}

public static class EndUserKeys
{
    public static string For(string tenantId, string endUserId) => $"{tenantId}/{endUserId}";
}
