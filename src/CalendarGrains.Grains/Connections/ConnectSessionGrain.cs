using CalendarGrains.Common;
using CalendarGrains.Google;
using CalendarGrains.Security;
using CalendarGrains.Tenants;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CalendarGrains.Connections;

/// <inheritdoc cref="IConnectSessionGrain"/>
/// <remarks>
/// Its record lives in storage that expires it (<see cref="StorageNames.ConnectSessions"/>)
/// <see cref="ConnectSessionOptions.RecordLifetime"/> after its last write: a session nobody
/// finishes leaves nothing behind, and a connected one says "already connected" that long, then is gone.
/// </remarks>
public sealed partial class ConnectSessionGrain(
    [PersistentState("connectsession", StorageNames.ConnectSessions)] IPersistentState<ConnectSessionState> state,
    ISecretProtector protector,
    GoogleOAuthClient google,
    IOptions<ConnectSessionOptions> options,
    [FromKeyedServices(ServiceTime.Key)] TimeProvider time,
    ILogger<ConnectSessionGrain> logger) : Grain, IConnectSessionGrain
{
    /// <summary>Google needs these to tell us who consented (the userinfo call).</summary>
    private static readonly string[] IdentityScopes = ["openid", "email"];

    private const int MaxAttempts = 5;

    private string Id => this.GetPrimaryKeyString();

    private ConnectSessionDefinition? Definition => state.State.Definition;

    public async Task CreateAsync(ConnectSessionDefinition definition)
    {
        if (Definition is not null)
        {
            throw new InvalidOperationException($"Connect session {Id} already exists.");
        }

        state.State.Definition = definition;
        await state.WriteStateAsync();
    }

    public async Task<ConnectStep> StartAsync(string? wsClientId = null)
    {
        if (Definition is not { } session)
        {
            return new ConnectStep(ConnectStepKind.NotFound);
        }

        if (state.State.Completed is { } completed)
        {
            return AlreadyConnected(session, completed);
        }

        var now = time.GetUtcNow();
        if (now >= session.ExpiresAt)
        {
            return Failed(session, "session_expired", "This connect link has expired; ask for a new one.", wsClientId, retry: false);
        }

        var tenant = await GrainFactory.GetGrain<ITenantGrain>(session.TenantId).GetAsync();
        var client = await ClientAsync(session.TenantId);
        if (tenant is null || client is null)
        {
            return Failed(session, "tenant_not_found", "The platform behind this link no longer exists.", wsClientId, retry: false);
        }

        var nonce = SecretGenerator.RandomUrlSafe(16);
        var scopes = (session.Scopes ?? tenant.Google.Scopes).Concat(IdentityScopes).Distinct(StringComparer.Ordinal).ToList();
        var (url, verifier) = google.BuildAuthorizationUrl(
            client,
            new AuthorizationUrlRequest(session.CallbackUrl, scopes, ConnectSessions.State(Id, nonce), session.LoginHint));
        state.State.Attempts.Add(new ConsentAttempt
        {
            Nonce = nonce,
            Verifier = protector.Protect(verifier, VerifierPurpose(nonce)),
            ExpiresAt = now + options.Value.ConsentTimeout,
            WsClientId = wsClientId,
        });
        state.State.Attempts = [.. state.State.Attempts.TakeLast(MaxAttempts)];
        await state.WriteStateAsync();
        return new ConnectStep(ConnectStepKind.Redirect, url.AbsoluteUri) { TenantId = session.TenantId, ReturnUrl = session.ReturnUrl };
    }

    public async Task<ConnectStep> CompleteAsync(string nonce, string? code, string? error, string? errorDescription)
    {
        if (Definition is { } done && state.State.Completed is { } completed)
        {
            LogRejected(logger, Id);
            return AlreadyConnected(done, completed);
        }

        var attempt = state.State.Attempts.Find(a => string.Equals(a.Nonce, nonce, StringComparison.Ordinal));
        if (Definition is not { } session || attempt is null || attempt.Used || time.GetUtcNow() >= attempt.ExpiresAt)
        {
            LogRejected(logger, Id);
            return new ConnectStep(ConnectStepKind.Rejected, Reason: "The state is unknown, already used or expired: start again from the connect link.")
            {
                TenantId = Definition?.TenantId,
                ReturnUrl = Definition?.ReturnUrl,
                SessionId = Definition is { } known && time.GetUtcNow() < known.ExpiresAt ? Id : null,
            };
        }

        // Single use, recorded before anything else happens: a replayed callback finds it used.
        attempt.Used = true;
        await state.WriteStateAsync();
        var ws = attempt.WsClientId;

        if (error is not null || code is null)
        {
            // Google sends error=access_denied (and no description) when the user clicks Deny.
            var described = errorDescription ?? (error == "access_denied"
                ? "The user declined to give access to their Google Calendar."
                : "Google returned no authorization code.");
            return Failed(session, error ?? "invalid_request", described, ws, retry: true);
        }

        var client = await ClientAsync(session.TenantId);
        if (client is null)
        {
            return Failed(session, "tenant_not_found", "The platform behind this link no longer exists.", ws, retry: false);
        }

        var verifier = protector.Unprotect(attempt.Verifier, VerifierPurpose(nonce));
        var exchanged = await google.ExchangeCodeAsync(client, code, verifier, session.CallbackUrl, CancellationToken.None);
        if (exchanged is GoogleFailure failure)
        {
            return Failed(session, failure.Error, failure.Description ?? "Google refused the authorization code.", ws, retry: true);
        }

        var tokens = (GoogleTokens)exchanged;
        if (tokens.RefreshToken is null)
        {
            // Without a refresh token there is nothing durable to keep: store nothing, say why.
            return Failed(session, "no_refresh_token", "Google granted no offline access (no refresh token); connect again and approve access.", ws, retry: true);
        }

        var userInfo = await google.GetUserInfoAsync(tokens.AccessToken, CancellationToken.None);
        var connectionId = await GrainFactory.GetGrain<IEndUserGrain>(EndUserKeys.For(session.TenantId, session.EndUserId))
            .ClaimAsync(Ids.NewConnectionId(time));
        var outcome = await GrainFactory.GetGrain<IConnectionGrain>(connectionId).ConnectAsync(new ConnectCommand(
            session.TenantId, session.EndUserId, tokens.RefreshToken, tokens.AccessToken, tokens.ExpiresAt, tokens.Scopes, userInfo?.Email, MetadataJson: null));
        if (outcome.Connection is null)
        {
            return Failed(session, "server_error", "The connection could not be stored.", ws, retry: true);
        }

        // Done: keep only what says "already connected" to a reopened link or a replayed callback;
        // the verifiers and nonces go.
        state.State.Attempts = [];
        state.State.Completed = new ConnectSessionCompletion(connectionId, time.GetUtcNow());
        await state.WriteStateAsync();
        return new ConnectStep(ConnectStepKind.Connected, Back(session, ("connectionId", connectionId), ("endUserId", session.EndUserId)))
        {
            TenantId = session.TenantId,
            ReturnUrl = session.ReturnUrl,
            ConnectionId = connectionId,
            EndUserId = session.EndUserId,
            WsClientId = ws,
            Reconnected = outcome.Result == ConnectResult.Reconnected,
        };
    }

    public Task<ConnectStep> PeekAsync()
    {
        var step = Definition switch
        {
            null => new ConnectStep(ConnectStepKind.NotFound),
            { } session when state.State.Completed is { } completed => AlreadyConnected(session, completed),
            { } session when time.GetUtcNow() >= session.ExpiresAt => Failed(session, "session_expired", "This connect link has expired; ask for a new one.", null, retry: false),
            { } session => new ConnectStep(ConnectStepKind.Pending) { TenantId = session.TenantId, ReturnUrl = session.ReturnUrl, SessionId = Id },
        };
        return Task.FromResult(step);
    }

    public Task<ConnectSessionView?> GetAsync(string tenantId)
    {
        if (Definition is not { } session || !string.Equals(session.TenantId, tenantId, StringComparison.Ordinal))
        {
            return Task.FromResult<ConnectSessionView?>(null);
        }

        var status = state.State.Completed is not null ? ConnectSessionStatus.Connected
            : time.GetUtcNow() >= session.ExpiresAt ? ConnectSessionStatus.Expired
            : ConnectSessionStatus.Pending;
        return Task.FromResult<ConnectSessionView?>(new ConnectSessionView(
            Id, session.EndUserId, session.ReturnUrl, session.ExpiresAt, status, state.State.Completed?.ConnectionId));
    }

    private ConnectStep Failed(ConnectSessionDefinition session, string error, string description, string? wsClientId, bool retry) =>
        new(ConnectStepKind.Failed, Back(session, ("error", error), ("error_description", description)), description)
        {
            TenantId = session.TenantId,
            ReturnUrl = session.ReturnUrl,
            EndUserId = session.EndUserId,
            Error = error,
            WsClientId = wsClientId,
            SessionId = retry && time.GetUtcNow() < session.ExpiresAt ? Id : null,
        };

    private static ConnectStep AlreadyConnected(ConnectSessionDefinition session, ConnectSessionCompletion completed) =>
        new(ConnectStepKind.AlreadyConnected, Back(session, ("connectionId", completed.ConnectionId), ("endUserId", session.EndUserId)),
            "This account is already connected.")
        {
            TenantId = session.TenantId,
            ReturnUrl = session.ReturnUrl,
            ConnectionId = completed.ConnectionId,
            EndUserId = session.EndUserId,
        };

    /// <summary>The return URL with the parameters, or null for a session without one (Nango's).</summary>
    private static string? Back(ConnectSessionDefinition session, params (string Name, string? Value)[] parameters) =>
        session.ReturnsToPlatform ? ReturnUrls.With(session.ReturnUrl!, parameters) : null;

    private string VerifierPurpose(string nonce) => $"connect-session/{Id}/{nonce}/pkce-verifier";

    private Task<GoogleClientCredentials?> ClientAsync(string tenantId) => TenantGoogleClient.GetAsync(GrainFactory, protector, tenantId);

    [LoggerMessage(EventId = 301, EventName = "ConnectCallbackRejected", Level = LogLevel.Warning, Message = "Connect session {SessionId}: callback with an unknown, used or expired state")]
    private static partial void LogRejected(ILogger logger, string sessionId);
}
