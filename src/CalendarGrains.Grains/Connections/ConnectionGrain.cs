using CalendarGrains.Common;
using CalendarGrains.Google;
using CalendarGrains.Security;
using CalendarGrains.Telemetry;
using CalendarGrains.Tenants;
using CalendarGrains.Webhooks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CalendarGrains.Connections;

/// <inheritdoc cref="IConnectionGrain"/>
/// <remarks>
/// Concurrency: token reads (<see cref="GetAccessTokenAsync"/>) interleave with everything, so a
/// caller whose cached token is good never queues behind a slow refresh or a revocation. A
/// refresh is one shared task (<see cref="_refresh"/>): every caller that needs a new token while
/// it runs awaits the same task, which is what makes it single-flight (one activation per
/// connection in the cluster). Methods that replace or erase the grant first wait for that task,
/// then change state in one synchronous step, so a refresh never sees half a change. State writes
/// go through <see cref="PersistAsync"/>, one at a time, so interleaved writers never race on the ETag.
/// </remarks>
public sealed partial class ConnectionGrain(
    [PersistentState("connection", StorageNames.State)] IPersistentState<ConnectionState> state,
    ISecretProtector protector,
    GoogleOAuthClient google,
    ConnectionIndex index,
    CalendarGrainsMetrics metrics,
    [FromKeyedServices(ServiceTime.Key)] TimeProvider time,
    TimeProvider runtimeTime,
    ILogger<ConnectionGrain> logger) : Grain, IConnectionGrain
{
    /// <summary>
    /// How long the caller that starts a refresh waits before taking a still-valid cached token.
    /// A latency budget, so it runs on the runtime clock, not the product clock tests control.
    /// </summary>
    private static readonly TimeSpan StaleFallbackAfter = TimeSpan.FromSeconds(1);

    private CachedToken? _token;
    private Task<TokenResult>? _refresh;
    private Task _writes = Task.CompletedTask;
    private DateTimeOffset _cooldownUntil;
    private int _consecutiveFailures;
    private bool _deleting;

    private string Id => this.GetPrimaryKeyString();

    private ConnectionState S => state.State;

    private bool Exists => S.TenantId is not null;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (!Exists)
        {
            return;
        }

        if (S.AccessToken is { } sealedToken && S.AccessTokenExpiresAt is { } expiresAt && expiresAt > time.GetUtcNow())
        {
            _token = new CachedToken(protector.Unprotect(sealedToken, ConnectionSecretPurposes.AccessToken(Id)), expiresAt);
        }

        if (Reseal())
        {
            await PersistAsync();
        }
    }

    public async Task<ConnectOutcome> ConnectAsync(ConnectCommand command)
    {
        if (Exists && (S.TenantId != command.TenantId || S.EndUserId != command.EndUserId) || _deleting)
        {
            return new ConnectOutcome(ConnectResult.Conflict, null);
        }

        GoogleTokens? validated = null;
        var email = command.AccountEmail;
        if (command.ValidateByRefresh)
        {
            var client = await ClientAsync(command.TenantId);
            var check = client is null
                ? new GoogleFailure(GoogleFailureKind.InvalidClient, "tenant_not_found", "The tenant does not exist.")
                : await google.RefreshAsync(client, command.RefreshToken, CancellationToken.None);
            if (check is GoogleFailure failure)
            {
                return new ConnectOutcome(ConnectResult.Rejected, null, ErrorOf(failure, time.GetUtcNow()));
            }

            validated = (GoogleTokens)check;
            email ??= (await google.GetUserInfoAsync(validated.AccessToken, CancellationToken.None))?.Email;
        }

        // Wait out a refresh of the old grant, then replace the grant in one synchronous step.
        await WaitForRefreshAsync();
        var now = time.GetUtcNow();
        var created = !Exists;
        var previousStatus = S.Status;
        S.TenantId = command.TenantId;
        S.EndUserId = command.EndUserId;
        S.Status = ConnectionStatus.Active;
        S.Scopes = [.. validated?.Scopes is { Count: > 0 } granted ? granted : command.Scopes];
        S.AccountEmail = email ?? S.AccountEmail;
        S.RefreshToken = protector.Protect(validated?.RefreshToken ?? command.RefreshToken, ConnectionSecretPurposes.RefreshToken(Id));
        _token = validated is not null
            ? new CachedToken(validated.AccessToken, validated.ExpiresAt)
            : command is { AccessToken: { } given, AccessTokenExpiresAt: { } givenExpiry } && givenExpiry > now ? new CachedToken(given, givenExpiry) : null;
        S.AccessToken = _token is null ? null : protector.Protect(_token.Value, ConnectionSecretPurposes.AccessToken(Id));
        S.AccessTokenExpiresAt = _token?.ExpiresAt;
        S.LastRefreshedAt = validated is not null ? now : S.LastRefreshedAt;
        S.LastError = null;
        S.CreatedAt = created ? now : S.CreatedAt;
        S.UpdatedAt = now;
        S.MetadataJson = command.MetadataJson ?? S.MetadataJson;
        _consecutiveFailures = 0;
        _cooldownUntil = default;
        await PersistAsync();

        if (created)
        {
            await index.AddAsync(command.TenantId, Id, ConnectionStatus.Active);
        }
        else
        {
            await index.MoveAsync(command.TenantId, Id, previousStatus, ConnectionStatus.Active);
        }

        var view = View();
        await EmitAsync(command.TenantId, created ? WebhookEventTypes.ConnectionCreated : WebhookEventTypes.ConnectionReconnected, view);
        LogConnected(logger, Id, command.TenantId, created);
        return new ConnectOutcome(created ? ConnectResult.Created : ConnectResult.Reconnected, view);
    }

    public Task<ConnectionView?> GetAsync(string tenantId) => Task.FromResult(VisibleTo(tenantId) ? View() : null);

    public Task<TokenResult> GetAccessTokenAsync(string tenantId, TokenRequest request)
    {
        if (!VisibleTo(tenantId))
        {
            metrics.TokenRequest(TokenOutcomes.NotFound);
            return Task.FromResult<TokenResult>(new TokenNotFound());
        }

        return TokenAsync(request);
    }

    public Task<TokenResult> GetAccessTokenForClientAsync(string clientSecret, TokenRequest request)
    {
        if (!Exists || _deleting || S.ClientSecretHash is not { } hash || !SecretHash.Matches(clientSecret, hash))
        {
            metrics.TokenRequest(TokenOutcomes.NotFound);
            return Task.FromResult<TokenResult>(new TokenNotFound());
        }

        return TokenAsync(request);
    }

    public async Task<string?> RotateClientSecretAsync(string tenantId)
    {
        if (!VisibleTo(tenantId))
        {
            return null;
        }

        var secret = SecretGenerator.ClientSecret();
        S.ClientSecretHash = SecretHash.Of(secret);
        S.UpdatedAt = time.GetUtcNow();
        await PersistAsync();
        return secret;
    }

    public async Task<MetadataWrite> UpdateMetadataAsync(string tenantId, string metadataJson, bool merge)
    {
        if (!VisibleTo(tenantId))
        {
            return new MetadataWrite(MetadataWriteResult.NotFound);
        }

        var updated = merge ? JsonObjects.Merge(S.MetadataJson, metadataJson) : metadataJson;
        if (JsonObjects.Utf8Length(updated) > ConnectionMetadata.MaxBytes)
        {
            return new MetadataWrite(MetadataWriteResult.TooLarge);
        }

        S.MetadataJson = updated;
        S.UpdatedAt = time.GetUtcNow();
        await PersistAsync();
        return new MetadataWrite(MetadataWriteResult.Updated, View());
    }

    public async Task<DeleteOutcome> DeleteAsync(string tenantId, bool revokeAtGoogle)
    {
        if (!VisibleTo(tenantId))
        {
            return DeleteOutcome.NotFound;
        }

        _deleting = true; // From here on, token requests answer "not found".
        try
        {
            await WaitForRefreshAsync();
            if (revokeAtGoogle && S.RefreshToken is { } sealedRefreshToken)
            {
                var revoked = await RevokeAtGoogleAsync(tenantId, protector.Unprotect(sealedRefreshToken, ConnectionSecretPurposes.RefreshToken(Id)));
                if (!revoked)
                {
                    return DeleteOutcome.RevocationUnavailable;
                }
            }

            var last = View() with { Status = ConnectionStatus.Revoked, UpdatedAt = time.GetUtcNow() };
            var (endUserId, previousStatus) = (S.EndUserId, S.Status);
            _token = null;
            await ClearAsync();
            await index.RemoveAsync(tenantId, Id, previousStatus);
            await GrainFactory.GetGrain<IEndUserGrain>(EndUserKeys.For(tenantId, endUserId)).ReleaseAsync(Id);
            await EmitAsync(tenantId, WebhookEventTypes.ConnectionDeleted, last);
            LogDeleted(logger, Id, tenantId, revokeAtGoogle);
            return DeleteOutcome.Deleted;
        }
        finally
        {
            _deleting = false;
        }
    }

    private async Task<bool> RevokeAtGoogleAsync(string tenantId, string refreshToken)
    {
        var client = await ClientAsync(tenantId) ?? new GoogleClientCredentials("unknown", "unknown");
        var result = await google.RevokeAsync(client, refreshToken, CancellationToken.None);
        LogRevoked(logger, Id, result);
        return result is GoogleRevokeResult.Revoked or GoogleRevokeResult.AlreadyRevoked;
    }

    private Task<GoogleClientCredentials?> ClientAsync(string tenantId) => TenantGoogleClient.GetAsync(GrainFactory, protector, tenantId);

    private async Task EmitAsync(string tenantId, string type, ConnectionView view)
    {
        try
        {
            var webhookEvent = new WebhookEvent(Ids.New("evt_", time), type, time.GetUtcNow(), ConnectionResource.Serialize(view));
            await GrainFactory.GetGrain<IWebhookOutboxGrain>(tenantId).EnqueueAsync(webhookEvent);
        }
        catch (Exception e)
        {
            // The change itself is stored; a lost notification must not undo it.
            LogWebhookNotQueued(logger, e, type, Id);
        }
    }

    private bool VisibleTo(string tenantId) => Exists && !_deleting && string.Equals(S.TenantId, tenantId, StringComparison.Ordinal);

    private ConnectionView View() => new(
        Id, S.EndUserId, Providers.Google, S.Status, S.Scopes, S.AccountEmail, S.CreatedAt, S.UpdatedAt,
        S.LastRefreshedAt, _token?.ExpiresAt ?? S.AccessTokenExpiresAt, S.LastError, S.MetadataJson, S.TenantId!);
}
