using CalendarGrains.Security;

namespace CalendarGrains.Connections;

[GenerateSerializer, Alias("cg.ConnectSessionState")]
public sealed class ConnectSessionState
{
    [Id(0)] public ConnectSessionDefinition? Definition { get; set; }

    /// <summary>Trips to Google started from this session (the last few), each with its own state.</summary>
    [Id(1)] public List<ConsentAttempt> Attempts { get; set; } = [];

    /// <summary>
    /// Set once the session has connected: its link and a replayed callback then say "already
    /// connected" instead of "unknown". Nothing secret is kept once this is set.
    /// </summary>
    [Id(2)] public ConnectSessionCompletion? Completed { get; set; }
}

/// <summary>One trip to Google: its nonce, its sealed PKCE verifier, until when it may come back.</summary>
[GenerateSerializer, Alias("cg.ConsentAttempt")]
public sealed class ConsentAttempt
{
    [Id(0)] public string Nonce { get; set; } = "";
    [Id(1)] public EncryptedSecret Verifier { get; set; } = null!;
    [Id(2)] public DateTimeOffset ExpiresAt { get; set; }
    [Id(3)] public bool Used { get; set; }

    /// <summary>The Nango front-end SDK's websocket that waits for this trip's outcome, if any.</summary>
    [Id(4)] public string? WsClientId { get; set; }
}

/// <summary>The connection a session made, and when.</summary>
[GenerateSerializer, Immutable, Alias("cg.ConnectSessionCompletion")]
public sealed record ConnectSessionCompletion(
    [property: Id(0)] string ConnectionId,
    [property: Id(1)] DateTimeOffset At);
