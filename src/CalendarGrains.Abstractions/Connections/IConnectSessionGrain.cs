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
    Task<ConnectStep> StartAsync();

    /// <summary>Handles Google's redirect back: exchanges the code and stores the connection.</summary>
    Task<ConnectStep> CompleteAsync(string nonce, string? code, string? error, string? errorDescription);
}

[GenerateSerializer, Immutable, Alias("cg.ConnectSessionDefinition")]
public sealed record ConnectSessionDefinition(
    [property: Id(0)] string TenantId,
    [property: Id(1)] string EndUserId,
    [property: Id(2)] string ReturnUrl,
    [property: Id(3)] IReadOnlyList<string>? Scopes,
    [property: Id(4)] string? LoginHint,
    [property: Id(5)] string CallbackUrl,
    [property: Id(6)] DateTimeOffset ExpiresAt);

/// <summary>What the browser should do next.</summary>
[GenerateSerializer, Immutable, Alias("cg.ConnectStep")]
public sealed record ConnectStep(
    [property: Id(0)] ConnectStepKind Kind,
    [property: Id(1)] string? RedirectUrl = null,
    [property: Id(2)] string? Reason = null);

public enum ConnectStepKind
{
    /// <summary>302 to <see cref="ConnectStep.RedirectUrl"/>.</summary>
    Redirect,

    /// <summary>No such session.</summary>
    NotFound,

    /// <summary>The state is unknown, used or expired: 400, nothing stored.</summary>
    Rejected,
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
