using System.Diagnostics;
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

    public async Task<ConnectionView?> UpdateMetadataAsync(string tenantId, string metadataJson, bool merge)
    {
        if (!VisibleTo(tenantId))
        {
            return null;
        }

        S.MetadataJson = merge ? JsonObjects.Merge(S.MetadataJson, metadataJson) : metadataJson;
        S.UpdatedAt = time.GetUtcNow();
        await PersistAsync();
        return View();
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

    private async Task<TokenResult> TokenAsync(TokenRequest request)
    {
        if (S.Status == ConnectionStatus.NeedsReauth)
        {
            metrics.TokenRequest(TokenOutcomes.NeedsReauth);
            return new TokenNeedsReauth(S.LastError ?? new ConnectionError("invalid_grant", "The user must connect again.", S.UpdatedAt));
        }

        var now = time.GetUtcNow();
        var minValidity = TimeSpan.FromSeconds(Math.Clamp(request.MinValiditySeconds, 0, TokenRequest.MaxMinValiditySeconds));
        if (!request.ForceRefresh && _token is { } cached && cached.ExpiresAt - now >= minValidity)
        {
            metrics.TokenRequest(TokenOutcomes.Cache);
            return Issued(cached);
        }

        // A token that is still valid (if not for as long as asked) is better than waiting on a
        // slow or failing Google: callers that join a running refresh get it at once, and the
        // caller that starts one waits only briefly for the new token.
        var stillValid = !request.ForceRefresh && _token is { } current && current.ExpiresAt > now ? current : null;
        string outcome;
        if (_refresh is { IsCompleted: false })
        {
            if (stillValid is not null)
            {
                metrics.TokenRequest(TokenOutcomes.StaleServed);
                return Issued(stillValid);
            }

            outcome = TokenOutcomes.Joined;
        }
        else if (now < _cooldownUntil)
        {
            return AfterFailure(now);
        }
        else
        {
            outcome = TokenOutcomes.Refreshed;
            _refresh = RefreshAsync();
        }

        var refresh = _refresh;
        if (stillValid is not null && await Task.WhenAny(refresh, Task.Delay(StaleFallbackAfter, runtimeTime)) != refresh)
        {
            metrics.TokenRequest(TokenOutcomes.StaleServed);
            return Issued(stillValid); // The refresh goes on in this activation; later callers get its token.
        }

        var result = await refresh;
        metrics.TokenRequest(result is TokenIssued ? outcome : OutcomeOf(result));
        return result;
    }

    private async Task<TokenResult> RefreshAsync()
    {
        var started = Stopwatch.GetTimestamp();
        var tenantId = S.TenantId!;
        var client = await ClientAsync(tenantId);
        var result = client is null || S.RefreshToken is null
            ? new GoogleFailure(GoogleFailureKind.InvalidClient, "tenant_not_found", "The tenant of this connection does not exist.")
            : await google.RefreshAsync(client, protector.Unprotect(S.RefreshToken, ConnectionSecretPurposes.RefreshToken(Id)), CancellationToken.None);
        metrics.Refresh(result is GoogleFailure failed ? failed.Error : "success", Stopwatch.GetElapsedTime(started));
        var now = time.GetUtcNow();
        return result switch
        {
            GoogleTokens tokens => await AcceptAsync(tokens, now),
            GoogleFailure { Kind: GoogleFailureKind.InvalidGrant } dead => await MarkNeedsReauthAsync(tenantId, dead, now),
            GoogleFailure failure => await RecordFailureAsync(failure, now),
            _ => throw new UnreachableException(),
        };
    }

    private async Task<TokenResult> AcceptAsync(GoogleTokens tokens, DateTimeOffset now)
    {
        _token = new CachedToken(tokens.AccessToken, tokens.ExpiresAt);
        _consecutiveFailures = 0;
        _cooldownUntil = default;
        S.AccessToken = protector.Protect(tokens.AccessToken, ConnectionSecretPurposes.AccessToken(Id));
        S.AccessTokenExpiresAt = tokens.ExpiresAt;
        S.LastRefreshedAt = now;
        S.LastError = null;
        S.Scopes = tokens.Scopes.Count > 0 ? [.. tokens.Scopes] : S.Scopes;
        var rotated = tokens.RefreshToken is not null;
        if (tokens.RefreshToken is { } newRefreshToken)
        {
            S.RefreshToken = protector.Protect(newRefreshToken, ConnectionSecretPurposes.RefreshToken(Id));
        }

        try
        {
            await PersistAsync();
        }
        catch (Exception e) when (!rotated)
        {
            // Only the cached access token was new: the next activation refreshes instead. A rotated
            // refresh token, though, must be stored before anyone is told it worked.
            LogPersistFailed(logger, e, Id);
        }

        return Issued(_token);
    }

    private async Task<TokenResult> MarkNeedsReauthAsync(string tenantId, GoogleFailure failure, DateTimeOffset now)
    {
        var previousStatus = S.Status;
        _token = null;
        S.Status = ConnectionStatus.NeedsReauth;
        S.LastError = ErrorOf(failure, now);
        S.AccessToken = null;
        S.AccessTokenExpiresAt = null;
        S.UpdatedAt = now;
        await PersistAsync();
        await index.MoveAsync(tenantId, Id, previousStatus, ConnectionStatus.NeedsReauth);
        await EmitAsync(tenantId, WebhookEventTypes.ConnectionNeedsReauth, View());
        LogNeedsReauth(logger, Id, tenantId, failure.Error);
        return new TokenNeedsReauth(S.LastError);
    }

    /// <summary>
    /// A failure that may pass: cool down before asking Google again (so one broken connection
    /// cannot hammer Google), and meanwhile serve the cached token while it is still valid.
    /// </summary>
    private async Task<TokenResult> RecordFailureAsync(GoogleFailure failure, DateTimeOffset now)
    {
        _consecutiveFailures++;
        _cooldownUntil = now + RefreshCooldown.After(failure.Kind, _consecutiveFailures);
        S.LastError = ErrorOf(failure, now);
        try
        {
            await PersistAsync();
        }
        catch (Exception e)
        {
            LogPersistFailed(logger, e, Id);
        }

        return AfterFailure(now);
    }

    private TokenResult AfterFailure(DateTimeOffset now)
    {
        if (_token is { } cached && cached.ExpiresAt > now)
        {
            metrics.TokenRequest(TokenOutcomes.StaleServed);
            return Issued(cached);
        }

        var error = S.LastError ?? new ConnectionError("provider_unavailable", "Google is not answering.", now);
        var retryAfter = _cooldownUntil - now;
        TokenResult result = error.Code is "invalid_client" or "unauthorized_client" or "tenant_not_found"
            ? new TokenClientRejected(error, retryAfter)
            : new TokenProviderUnavailable(error, retryAfter);
        metrics.TokenRequest(OutcomeOf(result));
        return result;
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

    private async Task WaitForRefreshAsync()
    {
        while (_refresh is { IsCompleted: false } running)
        {
            try
            {
                await running;
            }
            catch (Exception)
            {
                // Its callers see its failure; here we only wait for it to be over.
            }
        }
    }

    /// <summary>One write at a time: interleaved turns would otherwise race on the ETag.</summary>
    private async Task PersistAsync()
    {
        var previous = _writes;
        var done = new TaskCompletionSource();
        _writes = done.Task;
        try
        {
            await previous;
            await state.WriteStateAsync();
        }
        finally
        {
            done.SetResult();
        }
    }

    private async Task ClearAsync()
    {
        var previous = _writes;
        var done = new TaskCompletionSource();
        _writes = done.Task;
        try
        {
            await previous;
            await state.ClearStateAsync();
        }
        finally
        {
            done.SetResult();
        }
    }

    private bool Reseal()
    {
        var changed = false;
        if (S.RefreshToken is { } refreshToken && protector.NeedsResealing(refreshToken))
        {
            var purpose = ConnectionSecretPurposes.RefreshToken(Id);
            S.RefreshToken = protector.Protect(protector.Unprotect(refreshToken, purpose), purpose);
            changed = true;
        }

        if (S.AccessToken is { } accessToken && protector.NeedsResealing(accessToken))
        {
            var purpose = ConnectionSecretPurposes.AccessToken(Id);
            S.AccessToken = protector.Protect(protector.Unprotect(accessToken, purpose), purpose);
            changed = true;
        }

        return changed;
    }

    private bool VisibleTo(string tenantId) => Exists && !_deleting && string.Equals(S.TenantId, tenantId, StringComparison.Ordinal);

    private TokenIssued Issued(CachedToken token) => new(token.Value, token.ExpiresAt, S.Scopes);

    private ConnectionView View() => new(
        Id, S.EndUserId, Providers.Google, S.Status, S.Scopes, S.AccountEmail, S.CreatedAt, S.UpdatedAt,
        S.LastRefreshedAt, _token?.ExpiresAt ?? S.AccessTokenExpiresAt, S.LastError, S.MetadataJson, S.TenantId!);

    private static ConnectionError ErrorOf(GoogleFailure failure, DateTimeOffset at) =>
        new(failure.Error, failure.Description ?? RefreshCooldown.Describe(failure.Kind), at);

    private static string OutcomeOf(TokenResult result) => result switch
    {
        TokenNeedsReauth => TokenOutcomes.NeedsReauth,
        TokenClientRejected => TokenOutcomes.ClientRejected,
        TokenProviderUnavailable => TokenOutcomes.Unavailable,
        TokenNotFound => TokenOutcomes.NotFound,
        _ => TokenOutcomes.Refreshed,
    };

    /// <summary>The opened access token, kept only in memory.</summary>
    private sealed record CachedToken(string Value, DateTimeOffset ExpiresAt)
    {
        public override string ToString() => $"CachedToken(expires {ExpiresAt:O})";
    }

    [LoggerMessage(EventId = 201, EventName = "ConnectionConnected", Level = LogLevel.Information, Message = "Connection {ConnectionId} of tenant {TenantId} connected (new: {Created})")]
    private static partial void LogConnected(ILogger logger, string connectionId, string tenantId, bool created);

    [LoggerMessage(EventId = 202, EventName = "ConnectionNeedsReauth", Level = LogLevel.Warning, Message = "Connection {ConnectionId} of tenant {TenantId} needs reauth: Google said {Error}")]
    private static partial void LogNeedsReauth(ILogger logger, string connectionId, string tenantId, string error);

    [LoggerMessage(EventId = 203, EventName = "ConnectionDeleted", Level = LogLevel.Information, Message = "Connection {ConnectionId} of tenant {TenantId} deleted (revoked at Google: {Revoked})")]
    private static partial void LogDeleted(ILogger logger, string connectionId, string tenantId, bool revoked);

    [LoggerMessage(EventId = 204, EventName = "ConnectionRevocation", Level = LogLevel.Information, Message = "Revoking connection {ConnectionId} at Google: {Result}")]
    private static partial void LogRevoked(ILogger logger, string connectionId, GoogleRevokeResult result);

    [LoggerMessage(EventId = 205, EventName = "ConnectionPersistFailed", Level = LogLevel.Error, Message = "Could not store the state of connection {ConnectionId}")]
    private static partial void LogPersistFailed(ILogger logger, Exception exception, string connectionId);

    [LoggerMessage(EventId = 206, EventName = "WebhookNotQueued", Level = LogLevel.Error, Message = "Could not queue the {EventType} webhook of connection {ConnectionId}")]
    private static partial void LogWebhookNotQueued(ILogger logger, Exception exception, string eventType, string connectionId);
}
