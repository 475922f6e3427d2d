using CalendarGrains.Common;
using CalendarGrains.Connections;

namespace CalendarGrains.Silo.Connections;

/// <summary>An existing Google grant to store as a connection (ours or Nango's import route).</summary>
public sealed record GrantImport(
    string? Id,
    string EndUserId,
    string RefreshToken,
    string? AccessToken,
    DateTimeOffset? ExpiresAt,
    IReadOnlyList<string> Scopes,
    string? MetadataJson,
    bool ValidateByRefresh)
{
    public override string ToString() => $"GrantImport({Id ?? "new"}, {EndUserId})";
}

public enum GrantImportResult
{
    Created,
    Reconnected,

    /// <summary>The end user already has a connection under another id.</summary>
    EndUserHasAnother,

    /// <summary>The id belongs to another end user or another tenant.</summary>
    IdTaken,

    /// <summary>The validation refresh failed; see the error. Nothing was stored.</summary>
    Rejected,
}

public sealed record GrantImportOutcome(GrantImportResult Result, string ConnectionId, ConnectionView? Connection = null, ConnectionError? Error = null);

/// <summary>
/// Importing a grant: claim the end user's single connection id, then hand the grant to that
/// connection's grain. One place for both import routes, so they cannot drift apart.
/// </summary>
public sealed class ConnectionImports(IGrainFactory grains, [FromKeyedServices(ServiceTime.Key)] TimeProvider time)
{
    /// <param name="tenantId">The importing tenant.</param>
    /// <param name="grant">The grant to store.</param>
    /// <param name="cancellationToken">Ends the validating refresh at Google (nothing is stored then).</param>
    public async Task<GrantImportOutcome> ImportAsync(string tenantId, GrantImport grant, CancellationToken cancellationToken = default)
    {
        var endUser = grains.GetGrain<IEndUserGrain>(EndUserKeys.For(tenantId, grant.EndUserId));
        var connectionId = await endUser.ClaimAsync(grant.Id ?? Ids.NewConnectionId(time));
        if (grant.Id is not null && connectionId != grant.Id)
        {
            return new GrantImportOutcome(GrantImportResult.EndUserHasAnother, connectionId);
        }

        var connection = grains.GetGrain<IConnectionGrain>(connectionId);
        var outcome = await connection.ConnectAsync(new ConnectCommand(
            tenantId, grant.EndUserId, grant.RefreshToken, grant.AccessToken, grant.ExpiresAt,
            grant.Scopes, AccountEmail: null, grant.MetadataJson, grant.ValidateByRefresh), cancellationToken);
        if (outcome.Result is ConnectResult.Conflict or ConnectResult.Rejected && await connection.GetAsync(tenantId) is null)
        {
            await endUser.ReleaseAsync(connectionId); // Nothing was stored under the id we just claimed.
        }

        return outcome.Result switch
        {
            ConnectResult.Created => new GrantImportOutcome(GrantImportResult.Created, connectionId, outcome.Connection),
            ConnectResult.Reconnected => new GrantImportOutcome(GrantImportResult.Reconnected, connectionId, outcome.Connection),
            ConnectResult.Conflict => new GrantImportOutcome(GrantImportResult.IdTaken, connectionId),
            _ => new GrantImportOutcome(GrantImportResult.Rejected, connectionId, Error: outcome.Error),
        };
    }
}
