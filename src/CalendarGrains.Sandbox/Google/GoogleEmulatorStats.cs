namespace CalendarGrains.Sandbox.Google;

/// <summary>A snapshot of the Google emulator's counters, contents and settings.</summary>
/// <param name="TokenRequests">Every request to the token endpoint, failed and injected ones included.</param>
/// <param name="CodeExchanges">Successful authorization-code exchanges.</param>
/// <param name="RefreshGrants">Successful refresh-token grants.</param>
/// <param name="Revocations">Grants revoked, through the revoke endpoint or <see cref="GoogleEmulator.RevokeUser"/>.</param>
/// <param name="UserInfoCalls">Every request to the userinfo endpoint.</param>
/// <param name="Clients">Registered OAuth clients.</param>
/// <param name="Accounts">Accounts created by consent (they survive revocation, as Google accounts do).</param>
/// <param name="Grants">Live user+client authorizations.</param>
/// <param name="LiveRefreshTokens">Refresh tokens that still work.</param>
/// <param name="LiveAccessTokens">Access tokens that are neither expired nor revoked.</param>
/// <param name="PendingFailures">Token requests still armed to fail (<see cref="GoogleEmulator.FailNext"/>).</param>
/// <param name="LatencyMilliseconds">Current token-endpoint latency.</param>
/// <param name="AccessTokenLifetimeSeconds">Lifetime of new access tokens.</param>
/// <param name="RotateRefreshTokens">Whether refreshes rotate the refresh token.</param>
public sealed record GoogleEmulatorStats(
    long TokenRequests,
    long CodeExchanges,
    long RefreshGrants,
    long Revocations,
    long UserInfoCalls,
    int Clients,
    int Accounts,
    int Grants,
    int LiveRefreshTokens,
    int LiveAccessTokens,
    int PendingFailures,
    double LatencyMilliseconds,
    double AccessTokenLifetimeSeconds,
    bool RotateRefreshTokens);

/// <summary>What a live access token stands for (for emulators of Google APIs that accept it).</summary>
public sealed record GoogleAccessTokenInfo(
    string Email,
    string Subject,
    string ClientId,
    IReadOnlyList<string> Scopes,
    DateTimeOffset ExpiresAt);
