using CalendarGrains.Common;
using CalendarGrains.Google;
using CalendarGrains.Security;
using CalendarGrains.Telemetry;
using CalendarGrains.Tenants;
using CalendarGrains.Webhooks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CalendarGrains.Connections;

/// <inheritdoc cref="IConnectionGrain"/>
/// <remarks>
/// <para>
/// Concurrency: Orleans serialises every change. Only pure reads interleave: <see cref="GetAsync"/>
/// and the token read, which answers from the cached token (or, while a refresh runs, with a token
/// that is still valid if not for as long as asked). When the cache will not do, the token read
/// calls <see cref="IConnectionTokenRefresh.RefreshTokenAsync"/> on this grain: a non-interleaved
/// turn that looks again and refreshes once; callers queued behind it find the new token. One
/// activation per connection in the cluster makes that single-flight cluster-wide.
/// </para>
/// <para>
/// Every status change is stored with the webhook it owes (<see cref="ConnectionState.OwedWebhooks"/>,
/// one write), then the list index is made to match and the webhook handed to the tenant's outbox.
/// A reminder registered before that write brings the grain back to finish both if the silo dies
/// in between; activation repeats them too. Each operation's Google calls share one deadline,
/// <see cref="GrainOptions.OperationBudget"/>, below Orleans' response timeout.
/// </para>
/// </remarks>
public sealed partial class ConnectionGrain(
    [PersistentState("connection", StorageNames.State)] IPersistentState<ConnectionState> state,
    ISecretProtector protector,
    GoogleOAuthClient google,
    ConnectionIndex index,
    CalendarGrainsMetrics metrics,
    IOptions<GrainOptions> grainOptions,
    IOptions<WebhookOptions> webhookOptions,
    [FromKeyedServices(ServiceTime.Key)] TimeProvider time,
    TimeProvider runtimeTime,
    ILogger<ConnectionGrain> logger) : Grain, IConnectionGrain, IConnectionTokenRefresh, IRemindable
{
    private string Id => this.GetPrimaryKeyString();

    private ConnectionState S => state.State;

    /// <summary>Stored: live, or a tombstone whose deleted webhook is still owed.</summary>
    private bool Exists => S.TenantId is not null;

    private bool IsLive => Exists && S.Status != ConnectionStatus.Revoked;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (!Exists)
        {
            return;
        }

        if (IsLive && S.AccessToken is { } sealedToken && S.AccessTokenExpiresAt is { } expiresAt && expiresAt > time.GetUtcNow())
        {
            _token = new CachedToken(protector.Unprotect(sealedToken, ConnectionSecretPurposes.AccessToken(Id)), expiresAt);
        }

        // Repair what a lost silo or a failed write may have left behind (the index, owed webhooks)
        // in a turn of its own, so the request that activated the grain does not wait for it.
        this.RegisterGrainTimer(
            static (self, _) => self.OnFirstTurnAsync(),
            this,
            new GrainTimerCreationOptions(TimeSpan.Zero, Timeout.InfiniteTimeSpan) { Interleave = false, KeepAlive = false });
        if (Reseal())
        {
            await state.WriteStateAsync(cancellationToken);
        }
    }

    public async Task<ConnectOutcome> ConnectAsync(ConnectCommand command, CancellationToken cancellationToken)
    {
        if (IsLive && (S.TenantId != command.TenantId || S.EndUserId != command.EndUserId))
        {
            return new ConnectOutcome(ConnectResult.Conflict, null);
        }

        GoogleTokens? validated = null;
        var email = command.AccountEmail;
        if (command.ValidateByRefresh)
        {
            using var budget = grainOptions.Value.StartOperation(cancellationToken);
            var check = await RefreshAtGoogleAsync(command.TenantId, command.RefreshToken, budget.Token);
            if (check is GoogleFailure failure)
            {
                return new ConnectOutcome(ConnectResult.Rejected, null, ErrorOf(failure, time.GetUtcNow()));
            }

            validated = (GoogleTokens)check;
            email ??= (await google.GetUserInfoAsync(validated.AccessToken, budget.Token))?.Email;
        }

        await ArmWebhookReminderAsync();
        var now = time.GetUtcNow();
        var created = !IsLive;
        if (created)
        {
            // A new incarnation: nothing of a deleted one survives but the webhooks it still owes.
            state.State = new ConnectionState { OwedWebhooks = S.OwedWebhooks, EventSource = Ids.New("cev_", time), CreatedAt = now };
        }

        S.TenantId = command.TenantId;
        S.EndUserId = command.EndUserId;
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
        S.UpdatedAt = now;
        S.MetadataJson = command.MetadataJson ?? S.MetadataJson;
        _consecutiveFailures = 0;
        _cooldownUntil = default;
        RecordStatusChange(
            ConnectionStatus.Active,
            created ? StatusReasons.Created : StatusReasons.Reconnected,
            created ? WebhookEventTypes.ConnectionCreated : WebhookEventTypes.ConnectionReconnected,
            now);

        // Note: an index that cannot be written fails the request, so a caller is never told "stored"
        // about a connection the list does not show; its retry (or the reminder) lists it.
        await StoreChangeAsync(indexMustSucceed: true);
        LogConnected(logger, Id, command.TenantId, created);
        return new ConnectOutcome(created ? ConnectResult.Created : ConnectResult.Reconnected, View());
    }

    public Task<ConnectionView?> GetAsync(string tenantId) => Task.FromResult(VisibleTo(tenantId) ? View() : null);

    public async Task<string?> RotateClientSecretAsync(string tenantId, CancellationToken cancellationToken)
    {
        if (!VisibleTo(tenantId))
        {
            return null;
        }

        var secret = SecretGenerator.ClientSecret();
        S.ClientSecretHash = SecretHash.Of(secret);
        S.UpdatedAt = time.GetUtcNow();
        await WriteAsync();
        return secret;
    }

    public async Task<ConnectionView?> UpdateMetadataAsync(string tenantId, string metadataJson, bool merge, CancellationToken cancellationToken)
    {
        if (!VisibleTo(tenantId))
        {
            return null;
        }

        S.MetadataJson = merge ? JsonObjects.Merge(S.MetadataJson, metadataJson) : metadataJson;
        S.UpdatedAt = time.GetUtcNow();
        await WriteAsync();
        return View();
    }

    public async Task<DeleteOutcome> DeleteAsync(string tenantId, bool revokeAtGoogle, CancellationToken cancellationToken)
    {
        if (!VisibleTo(tenantId))
        {
            return DeleteOutcome.NotFound;
        }

        if (revokeAtGoogle && S.RefreshToken is { } sealedRefreshToken)
        {
            using var budget = grainOptions.Value.StartOperation(cancellationToken);
            var refreshToken = protector.Unprotect(sealedRefreshToken, ConnectionSecretPurposes.RefreshToken(Id));
            if (!await RevokeAtGoogleAsync(tenantId, refreshToken, budget.Token))
            {
                return DeleteOutcome.RevocationUnavailable;
            }
        }

        await ArmWebhookReminderAsync();
        var now = time.GetUtcNow();
        var endUserId = S.EndUserId;
        S.UpdatedAt = now;
        RecordStatusChange(ConnectionStatus.Revoked, StatusReasons.Deleted, WebhookEventTypes.ConnectionDeleted, now);
        _token = null;
        S.RefreshToken = null;
        S.AccessToken = null;
        S.AccessTokenExpiresAt = null;
        S.ClientSecretHash = null;

        // The tombstone (no token material) is erased once the outbox takes its webhook (the state,
        // S, is then empty). Once it is stored the connection is deleted: the index and the
        // webhook converge on their own.
        await StoreChangeAsync(indexMustSucceed: false);
        try
        {
            await GrainFactory.GetGrain<IEndUserGrain>(EndUserKeys.For(tenantId, endUserId)).ReleaseAsync(Id);
        }
        catch (Exception e)
        {
            // A mapping to an erased connection is harmless: reads skip it, a new connect reuses the id.
            LogEndUserNotReleased(logger, e, Id);
        }

        LogDeleted(logger, Id, tenantId, revokeAtGoogle);
        return DeleteOutcome.Deleted;
    }

    private async Task<bool> RevokeAtGoogleAsync(string tenantId, string refreshToken, CancellationToken cancellationToken)
    {
        var client = await ClientAsync(tenantId) ?? new GoogleClientCredentials("unknown", "unknown");
        GoogleRevokeResult result;
        try
        {
            result = await google.RevokeAsync(client, refreshToken, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            result = GoogleRevokeResult.Unavailable; // Out of budget (or the caller left): nothing is erased.
        }

        LogRevoked(logger, Id, result);
        return result is GoogleRevokeResult.Revoked or GoogleRevokeResult.AlreadyRevoked;
    }

    private Task<GoogleClientCredentials?> ClientAsync(string tenantId) => TenantGoogleClient.GetAsync(GrainFactory, protector, tenantId);

    private bool VisibleTo(string tenantId) => IsLive && string.Equals(S.TenantId, tenantId, StringComparison.Ordinal);

    private ConnectionView View() => new(
        Id, S.EndUserId, Providers.Google, S.Status, S.Scopes, S.AccountEmail, S.CreatedAt, S.UpdatedAt,
        S.LastRefreshedAt, _token?.ExpiresAt ?? S.AccessTokenExpiresAt, S.LastError, S.MetadataJson, S.TenantId!, [.. S.History]);

    /// <summary>The stable reasons of status changes that are not Google's error codes.</summary>
    private static class StatusReasons
    {
        public const string Created = "created";
        public const string Reconnected = "reconnected";
        public const string Deleted = "deleted";
    }
}
