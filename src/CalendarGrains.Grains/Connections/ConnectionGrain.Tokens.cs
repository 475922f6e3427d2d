using System.Diagnostics;
using CalendarGrains.Google;
using CalendarGrains.Telemetry;
using CalendarGrains.Webhooks;

namespace CalendarGrains.Connections;

/// <summary>The token path: answering from memory, the single shared refresh, and what failures do.</summary>
public sealed partial class ConnectionGrain
{
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

    private TokenIssued Issued(CachedToken token) => new(token.Value, token.ExpiresAt, S.Scopes);

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
}
