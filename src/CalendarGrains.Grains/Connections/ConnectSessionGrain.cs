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
/// Its record lives in storage that expires it (<see cref="StorageNames.ConnectSessions"/>), so a
/// session nobody finishes leaves nothing behind; a finished one is deleted at once.
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

    public async Task<ConnectStep> StartAsync()
    {
        if (Definition is not { } session)
        {
            return new ConnectStep(ConnectStepKind.NotFound);
        }

        var now = time.GetUtcNow();
        if (now >= session.ExpiresAt)
        {
            return Back(session, ("error", "session_expired"), ("error_description", "This connect link has expired; ask for a new one."));
        }

        var tenant = await GrainFactory.GetGrain<ITenantGrain>(session.TenantId).GetAsync();
        var client = await ClientAsync(session.TenantId);
        if (tenant is null || client is null)
        {
            return Back(session, ("error", "tenant_not_found"), ("error_description", "The platform behind this link no longer exists."));
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
        });
        state.State.Attempts = [.. state.State.Attempts.TakeLast(MaxAttempts)];
        await state.WriteStateAsync();
        return new ConnectStep(ConnectStepKind.Redirect, url.AbsoluteUri);
    }

    public async Task<ConnectStep> CompleteAsync(string nonce, string? code, string? error, string? errorDescription)
    {
        var attempt = state.State.Attempts.Find(a => string.Equals(a.Nonce, nonce, StringComparison.Ordinal));
        if (Definition is not { } session || attempt is null || attempt.Used || time.GetUtcNow() >= attempt.ExpiresAt)
        {
            LogRejected(logger, Id);
            return new ConnectStep(ConnectStepKind.Rejected, Reason: "The state is unknown, already used or expired: start again from the connect link.");
        }

        // Single use, recorded before anything else happens: a replayed callback finds it used.
        attempt.Used = true;
        await state.WriteStateAsync();

        if (error is not null || code is null)
        {
            return Back(session, ("error", error ?? "invalid_request"), ("error_description", errorDescription ?? "Google returned no authorization code."));
        }

        var client = await ClientAsync(session.TenantId);
        if (client is null)
        {
            return Back(session, ("error", "tenant_not_found"), ("error_description", "The platform behind this link no longer exists."));
        }

        var verifier = protector.Unprotect(attempt.Verifier, VerifierPurpose(nonce));
        var exchanged = await google.ExchangeCodeAsync(client, code, verifier, session.CallbackUrl, CancellationToken.None);
        if (exchanged is GoogleFailure failure)
        {
            return Back(session, ("error", failure.Error), ("error_description", failure.Description ?? "Google refused the authorization code."));
        }

        var tokens = (GoogleTokens)exchanged;
        if (tokens.RefreshToken is null)
        {
            // Without a refresh token there is nothing durable to keep: store nothing, say why.
            return Back(session, ("error", "no_refresh_token"), ("error_description", "Google granted no offline access (no refresh token); connect again and approve access."));
        }

        var userInfo = await google.GetUserInfoAsync(tokens.AccessToken, CancellationToken.None);
        var connectionId = await GrainFactory.GetGrain<IEndUserGrain>(EndUserKeys.For(session.TenantId, session.EndUserId))
            .ClaimAsync(Ids.NewConnectionId(time));
        var outcome = await GrainFactory.GetGrain<IConnectionGrain>(connectionId).ConnectAsync(new ConnectCommand(
            session.TenantId, session.EndUserId, tokens.RefreshToken, tokens.AccessToken, tokens.ExpiresAt, tokens.Scopes, userInfo?.Email, MetadataJson: null));
        if (outcome.Connection is null)
        {
            return Back(session, ("error", "server_error"), ("error_description", "The connection could not be stored."));
        }

        // Done: nothing of the session is needed any more, and a replay now finds no state at all.
        await state.ClearStateAsync();
        return Back(session, ("connectionId", connectionId), ("endUserId", session.EndUserId));
    }

    private static ConnectStep Back(ConnectSessionDefinition session, params (string Name, string? Value)[] parameters) =>
        new(ConnectStepKind.Redirect, ReturnUrls.With(session.ReturnUrl, parameters));

    private string VerifierPurpose(string nonce) => $"connect-session/{Id}/{nonce}/pkce-verifier";

    private Task<GoogleClientCredentials?> ClientAsync(string tenantId) => TenantGoogleClient.GetAsync(GrainFactory, protector, tenantId);

    [LoggerMessage(EventId = 301, EventName = "ConnectCallbackRejected", Level = LogLevel.Warning, Message = "Connect session {SessionId}: callback with an unknown, used or expired state")]
    private static partial void LogRejected(ILogger logger, string sessionId);
}
