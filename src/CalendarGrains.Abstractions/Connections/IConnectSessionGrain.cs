namespace CalendarGrains.Connections;

/// <summary>
/// One grain per connect session (keyed by its unguessable id): sends the end user's browser to
/// Google with a single-use <c>state</c> and PKCE, then turns the callback into a connection.
/// Non-reentrant, so a replayed callback is seen after the first one marked its state used.
/// </summary>
[Alias("cg.IConnectSessionGrain")]
public interface IConnectSessionGrain : IGrainWithStringKey
{
    Task CreateAsync(ConnectSessionDefinition definition);

    /// <summary>Where to send the browser now: Google's consent page, or back with an error.</summary>
    /// <param name="wsClientId">Nango's front-end SDK: the websocket waiting for this attempt's outcome.</param>
    Task<ConnectStep> StartAsync(string? wsClientId = null);

    /// <summary>Handles Google's redirect back: exchanges the code and stores the connection.</summary>
    Task<ConnectStep> CompleteAsync(string nonce, string? code, string? error, string? errorDescription);

    /// <summary>Whether the link can be used: <see cref="ConnectStepKind.Pending"/>, or how it ended. Changes nothing.</summary>
    [ReadOnly]
    Task<ConnectStep> PeekAsync();

    /// <summary>The session as its tenant may read it, or null when unknown or another tenant's.</summary>
    [ReadOnly]
    Task<ConnectSessionView?> GetAsync(string tenantId);
}

[GenerateSerializer, Immutable, Alias("cg.ConnectSessionDefinition")]
public sealed record ConnectSessionDefinition(
    [property: Id(0)] string TenantId,
    [property: Id(1)] string EndUserId,
    [property: Id(2)] string? ReturnUrl,
    [property: Id(3)] IReadOnlyList<string>? Scopes,
    [property: Id(4)] string? LoginHint,
    [property: Id(5)] string CallbackUrl,
    [property: Id(6)] DateTimeOffset ExpiresAt)
{
    /// <summary>Nango's connect sessions have no return URL: the browser stays on our pages.</summary>
    public bool ReturnsToPlatform => !string.IsNullOrEmpty(ReturnUrl);
}

/// <summary>
/// What the browser should do next. Besides the redirect, a step carries what a page for the
/// end user needs (whose platform, where back to, what happened).
/// </summary>
[GenerateSerializer, Immutable, Alias("cg.ConnectStep")]
public sealed record ConnectStep(
    [property: Id(0)] ConnectStepKind Kind,
    [property: Id(1)] string? RedirectUrl = null,
    [property: Id(2)] string? Reason = null)
{
    [Id(3)] public string? TenantId { get; init; }

    /// <summary>The platform's return URL without our parameters; null for Nango sessions.</summary>
    [Id(4)] public string? ReturnUrl { get; init; }

    [Id(5)] public string? ConnectionId { get; init; }

    [Id(6)] public string? EndUserId { get; init; }

    /// <summary>The OAuth-style error code of a <see cref="ConnectStepKind.Failed"/> step (e.g. <c>access_denied</c>).</summary>
    [Id(7)] public string? Error { get; init; }

    /// <summary>The Nango websocket waiting for this outcome, if any.</summary>
    [Id(8)] public string? WsClientId { get; init; }

    /// <summary>True when the connection existed before (Nango's <c>override</c>).</summary>
    [Id(9)] public bool Reconnected { get; init; }

    /// <summary>The connect link, while the session may still be used (for a "try again" button).</summary>
    [Id(10)] public string? SessionId { get; init; }
}

/// <summary><c>GET /v1/connect-sessions/{id}</c>.</summary>
[GenerateSerializer, Immutable, Alias("cg.ConnectSessionView")]
public sealed record ConnectSessionView(
    [property: Id(0)] string Id,
    [property: Id(1)] string EndUserId,
    [property: Id(2)] string? ReturnUrl,
    [property: Id(3)] DateTimeOffset ExpiresAt,
    [property: Id(4)] ConnectSessionStatus Status,
    [property: Id(5)] string? ConnectionId);

public enum ConnectSessionStatus
{
    /// <summary>Not completed yet and not expired.</summary>
    Pending,

    /// <summary>Completed: the connection exists.</summary>
    Connected,

    /// <summary>Expired before completing.</summary>
    Expired,
}

public enum ConnectStepKind
{
    /// <summary>302 to <see cref="ConnectStep.RedirectUrl"/>.</summary>
    Redirect,

    /// <summary>No such session.</summary>
    NotFound,

    /// <summary>The state is unknown, used or expired: 400, nothing stored.</summary>
    Rejected,

    /// <summary>Stored: <see cref="ConnectStep.RedirectUrl"/> is the return URL with the connection (none for Nango sessions).</summary>
    Connected,

    /// <summary>Ended without a connection (<see cref="ConnectStep.Error"/>); <see cref="ConnectStep.RedirectUrl"/> goes back with it.</summary>
    Failed,

    /// <summary>The session completed before: its link or a replayed callback. Nothing changes.</summary>
    AlreadyConnected,

    /// <summary>The session can be started (an answer of <see cref="IConnectSessionGrain.PeekAsync"/> only).</summary>
    Pending,
}

public static class ConnectSessions
{
    /// <summary>How long the connect link works, unless <c>ConnectSessions:Lifetime</c> says otherwise.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(1);

    /// <summary>How long one trip to Google may take (the <c>state</c>'s life), unless <c>ConnectSessions:ConsentTimeout</c> says otherwise.</summary>
    public static readonly TimeSpan StateLifetime = TimeSpan.FromMinutes(10);

    /// <summary>The <c>state</c> sent to Google: the session id and a single-use nonce.</summary>
    public static string State(string sessionId, string nonce) => $"{sessionId}.{nonce}";

    public static bool TryParseState(string? state, out string sessionId, out string nonce)
    {
        var dot = state?.LastIndexOf('.') ?? -1;
        (sessionId, nonce) = dot > 0 ? (state![..dot], state[(dot + 1)..]) : ("", "");
        return dot > 0 && nonce.Length > 0 && sessionId.StartsWith("cs_", StringComparison.Ordinal);
    }
}
