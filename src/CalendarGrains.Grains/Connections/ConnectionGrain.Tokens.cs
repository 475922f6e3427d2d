using System.Diagnostics;
using CalendarGrains.Google;
using CalendarGrains.Telemetry;
using CalendarGrains.Webhooks;

namespace CalendarGrains.Connections;

/// <summary>
/// The token path. The read (<see cref="TokenAsync"/>) interleaves and only reads; a refresh runs in
/// a serialised turn of this grain (<see cref="RefreshTokenAsync"/>), once for everyone waiting.
/// </summary>
public sealed partial class ConnectionGrain
{
    /// <summary>
    /// How long the caller that starts a refresh waits before taking a still-valid cached token.
    /// A latency budget, so it runs on the runtime clock, not the product clock tests control.
    /// </summary>
    private static readonly TimeSpan StaleFallbackAfter = TimeSpan.FromSeconds(1);

    private static readonly Task<TokenResult> NotFound = Task.FromResult<TokenResult>(new TokenNotFound());

    private CachedToken? _token;

    /// <summary>True while a serialised turn waits on Google for a new token (read by interleaved token reads).</summary>
    private bool _refreshing;

    /// <summary>Refreshes finished by this activation: lets a queued caller see that one ended after it asked.</summary>
    private long _refreshes;

    private DateTimeOffset _cooldownUntil;
    private int _consecutiveFailures;

    public Task<TokenResult> GetAccessTokenAsync(string tenantId, TokenRequest request)
    {
        if (!VisibleTo(tenantId))
        {
            metrics.TokenRequest(TokenOutcomes.NotFound);
            return NotFound;
        }

        return TokenAsync(request);
    }

    public Task<TokenResult> GetAccessTokenForClientAsync(string clientSecret, TokenRequest request)
    {
        if (!IsLive || S.ClientSecretHash is not { } hash || !Common.SecretHash.Matches(clientSecret, hash))
        {
            metrics.TokenRequest(TokenOutcomes.NotFound);
            return NotFound;
        }

        return TokenAsync(request);
    }

    /// <summary>Interleaved: answers from memory when it can, else goes through a serialised turn.</summary>
    private Task<TokenResult> TokenAsync(TokenRequest request)
    {
        if (S.Status == ConnectionStatus.NeedsReauth)
        {
            metrics.TokenRequest(TokenOutcomes.NeedsReauth);
            return Task.FromResult<TokenResult>(NeedsReauth());
        }

        var now = time.GetUtcNow();
        if (!request.ForceRefresh && _token is { } cached && cached.ExpiresAt - now >= MinValidity(request))
        {
            metrics.TokenRequest(TokenOutcomes.Cache);
            return Task.FromResult<TokenResult>(Issued(cached));
        }

        // A token that is still valid (if not for as long as asked) is better than waiting on a
        // slow or failing Google: while a refresh runs it is the answer at once, and the caller
        // that starts one waits only briefly for the new token.
        var stillValid = !request.ForceRefresh && _token is { } current && current.ExpiresAt > now ? current : null;
        if (stillValid is not null && _refreshing)
        {
            metrics.TokenRequest(TokenOutcomes.StaleServed);
            return Task.FromResult<TokenResult>(Issued(stillValid));
        }

        if (!_refreshing && now < _cooldownUntil)
        {
            var answer = AfterFailure(now);
            metrics.TokenRequest(answer.Outcome);
            return Task.FromResult(answer.Result);
        }

        return RefreshInTurnAsync(request, stillValid);
    }

    private async Task<TokenResult> RefreshInTurnAsync(TokenRequest request, CachedToken? stillValid)
    {
        var turn = this.AsReference<IConnectionTokenRefresh>().RefreshTokenAsync(request, _refreshes);
        if (stillValid is not null && await Task.WhenAny(turn, Task.Delay(StaleFallbackAfter, runtimeTime)) != turn)
        {
            // The refresh goes on in its turn; later callers get its token.
            _ = turn.ContinueWith(static t => t.Exception, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously);
            metrics.TokenRequest(TokenOutcomes.StaleServed);
            return Issued(stillValid);
        }

        var answer = await turn;
        metrics.TokenRequest(answer.Outcome);
        return answer.Result;
    }

    /// <summary>
    /// Serialised with every other change. Looks again first: a refresh that finished while the
    /// caller queued is its answer too (that is what makes one refresh serve a crowd).
    /// </summary>
    public async Task<TokenAnswer> RefreshTokenAsync(TokenRequest request, long refreshesSeen)
    {
        if (!IsLive)
        {
            return new TokenAnswer(new TokenNotFound(), TokenOutcomes.NotFound);
        }

        if (S.Status == ConnectionStatus.NeedsReauth)
        {
            return new TokenAnswer(NeedsReauth(), TokenOutcomes.NeedsReauth);
        }

        var now = time.GetUtcNow();
        var joined = refreshesSeen != _refreshes;
        if (_token is { } cached && (joined ? cached.ExpiresAt > now : !request.ForceRefresh && cached.ExpiresAt - now >= MinValidity(request)))
        {
            return new TokenAnswer(Issued(cached), TokenOutcomes.Joined);
        }

        if (now < _cooldownUntil)
        {
            return AfterFailure(now);
        }

        _refreshing = true;
        try
        {
            return await RefreshAsync();
        }
        finally
        {
            _refreshing = false;
            _refreshes++;
        }
    }

    private async Task<TokenAnswer> RefreshAsync()
    {
        var started = Stopwatch.GetTimestamp();
        var tenantId = S.TenantId!;
        var refreshToken = protector.Unprotect(S.RefreshToken!, ConnectionSecretPurposes.RefreshToken(Id));
        GoogleTokenResult result;
        using (var budget = grainOptions.Value.StartOperation())
        {
            result = await RefreshAtGoogleAsync(tenantId, refreshToken, budget.Token);
        }

        metrics.Refresh(result is GoogleFailure failed ? failed.Error : "success", Stopwatch.GetElapsedTime(started));
        var now = time.GetUtcNow();
        return result switch
        {
            GoogleTokens tokens => new TokenAnswer(await AcceptAsync(tokens, now), TokenOutcomes.Refreshed),
            GoogleFailure { Kind: GoogleFailureKind.InvalidGrant } dead => new TokenAnswer(await MarkNeedsReauthAsync(tenantId, dead, now), TokenOutcomes.NeedsReauth),
            GoogleFailure failure => await RecordFailureAsync(failure, now),
            _ => throw new UnreachableException(),
        };
    }

    /// <summary>One refresh at Google with the tenant's client, within the operation's budget.</summary>
    private async Task<GoogleTokenResult> RefreshAtGoogleAsync(string tenantId, string refreshToken, CancellationToken budget)
    {
        var client = await ClientAsync(tenantId);
        if (client is null)
        {
            return new GoogleFailure(GoogleFailureKind.InvalidClient, "tenant_not_found", "The tenant of this connection does not exist.");
        }

        try
        {
            return await google.RefreshAsync(client, refreshToken, budget);
        }
        catch (OperationCanceledException) when (budget.IsCancellationRequested)
        {
            return new GoogleFailure(GoogleFailureKind.Transient, "timeout", "Google did not answer within the operation's time budget.");
        }
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
            await state.WriteStateAsync();
        }
        catch (Exception e) when (!rotated)
        {
            // Only the cached access token was new: the next activation refreshes instead. A rotated
            // refresh token, though, must be stored before anyone is told it worked (and is kept in
            // memory, its only copy, for the next write).
            LogPersistFailed(logger, e, Id);
        }

        return Issued(_token);
    }

    private async Task<TokenResult> MarkNeedsReauthAsync(string tenantId, GoogleFailure failure, DateTimeOffset now)
    {
        await ArmWebhookReminderAsync();
        _token = null;
        S.LastError = ErrorOf(failure, now);
        S.AccessToken = null;
        S.AccessTokenExpiresAt = null;
        S.UpdatedAt = now;
        RecordStatusChange(ConnectionStatus.NeedsReauth, failure.Error, WebhookEventTypes.ConnectionNeedsReauth, now);
        await StoreChangeAsync(indexMustSucceed: false);
        LogNeedsReauth(logger, Id, tenantId, failure.Error);
        return new TokenNeedsReauth(S.LastError);
    }

    /// <summary>
    /// A failure that may pass: cool down before asking Google again (so one broken connection
    /// cannot hammer Google), and meanwhile serve the cached token while it is still valid.
    /// </summary>
    private async Task<TokenAnswer> RecordFailureAsync(GoogleFailure failure, DateTimeOffset now)
    {
        _consecutiveFailures++;
        _cooldownUntil = now + RefreshCooldown.After(failure.Kind, _consecutiveFailures);
        S.LastError = ErrorOf(failure, now);
        try
        {
            await state.WriteStateAsync();
        }
        catch (Exception e)
        {
            LogPersistFailed(logger, e, Id);
        }

        return AfterFailure(now);
    }

    /// <summary>Within a cooldown: the cached token while it is valid, else why not and when to retry. Only reads.</summary>
    private TokenAnswer AfterFailure(DateTimeOffset now)
    {
        if (_token is { } cached && cached.ExpiresAt > now)
        {
            return new TokenAnswer(Issued(cached), TokenOutcomes.StaleServed);
        }

        var error = S.LastError ?? new ConnectionError("provider_unavailable", "Google is not answering.", now);
        var retryAfter = _cooldownUntil - now;
        return error.Code is "invalid_client" or "unauthorized_client" or "tenant_not_found"
            ? new TokenAnswer(new TokenClientRejected(error, retryAfter), TokenOutcomes.ClientRejected)
            : new TokenAnswer(new TokenProviderUnavailable(error, retryAfter), TokenOutcomes.Unavailable);
    }

    private TokenNeedsReauth NeedsReauth() => new(S.LastError ?? new ConnectionError("invalid_grant", "The user must connect again.", S.UpdatedAt));

    private TokenIssued Issued(CachedToken token) => new(token.Value, token.ExpiresAt, S.Scopes);

    private static TimeSpan MinValidity(TokenRequest request) =>
        TimeSpan.FromSeconds(Math.Clamp(request.MinValiditySeconds, 0, TokenRequest.MaxMinValiditySeconds));

    private static ConnectionError ErrorOf(GoogleFailure failure, DateTimeOffset at) =>
        new(failure.Error, failure.Description ?? RefreshCooldown.Describe(failure.Kind), at);

    /// <summary>The opened access token, kept only in memory.</summary>
    private sealed record CachedToken(string Value, DateTimeOffset ExpiresAt)
    {
        public override string ToString() => $"CachedToken(expires {ExpiresAt:O})";
    }
}
