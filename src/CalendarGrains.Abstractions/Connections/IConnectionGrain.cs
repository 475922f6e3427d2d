using CalendarGrains.GrainCalls;

namespace CalendarGrains.Connections;

/// <summary>
/// One grain per connection: the only owner of that user's Google refresh token. Refreshes at
/// most once however many callers ask together (cluster-wide: one activation), serves a valid
/// token from memory without touching storage, and revokes at Google on delete.
/// </summary>
/// <remarks>
/// Every method takes the caller's tenant id: another tenant's connection does not exist for it.
/// Only the reads interleave; every change (connect, refresh, metadata, secret, delete) runs one at
/// a time, each within the grain's operation budget (below Orleans' response timeout). A caller's
/// cancellation token reaches the Google calls of that operation; token requests take none, since
/// the refresh they may start is shared with every other caller.
/// </remarks>
[Alias("cg.IConnectionGrain")]
public interface IConnectionGrain : IGrainWithStringKey
{
    /// <summary>Stores a grant (consent or import); connecting again keeps the id and reactivates it.</summary>
    Task<ConnectOutcome> ConnectAsync(ConnectCommand command, CancellationToken cancellationToken = default);

    /// <summary>The connection, or null when it does not exist for this tenant.</summary>
    [AlwaysInterleave, SafeToResend]
    Task<ConnectionView?> GetAsync(string tenantId);

    /// <summary>A token valid for at least the asked time, refreshing only when needed.</summary>
    [AlwaysInterleave, SafeToResend]
    Task<TokenResult> GetAccessTokenAsync(string tenantId, TokenRequest request);

    /// <summary>For <c>/oauth2/token</c>: checks the custom-credential client secret, then answers as above.</summary>
    [AlwaysInterleave, SafeToResend]
    Task<TokenResult> GetAccessTokenForClientAsync(string clientSecret, TokenRequest request);

    /// <summary>Issues a new client secret for Vapi's custom credential; the previous one stops working.</summary>
    Task<string?> RotateClientSecretAsync(string tenantId, CancellationToken cancellationToken = default);

    /// <summary>Replaces (or merges into) the metadata object. Null when the connection does not exist.</summary>
    Task<ConnectionView?> UpdateMetadataAsync(string tenantId, string metadataJson, bool merge, CancellationToken cancellationToken = default);

    /// <summary>
    /// Revokes the grant at Google (unless told not to), then erases the connection and its token
    /// material. A revocation that cannot finish within the budget erases nothing.
    /// </summary>
    Task<DeleteOutcome> DeleteAsync(string tenantId, bool revokeAtGoogle, CancellationToken cancellationToken = default);
}

public enum DeleteOutcome
{
    Deleted,
    NotFound,

    /// <summary>Google could not be reached to revoke the grant in time; nothing was erased (retry, or delete with revoke=false).</summary>
    RevocationUnavailable,
}
