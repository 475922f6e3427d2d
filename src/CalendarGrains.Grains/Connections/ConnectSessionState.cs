using CalendarGrains.Security;

namespace CalendarGrains.Connections;

[GenerateSerializer, Alias("cg.ConnectSessionState")]
public sealed class ConnectSessionState
{
    [Id(0)] public ConnectSessionDefinition? Definition { get; set; }

    /// <summary>Trips to Google started from this session (the last few), each with its own state.</summary>
    [Id(1)] public List<ConsentAttempt> Attempts { get; set; } = [];
}

/// <summary>One trip to Google: its nonce, its sealed PKCE verifier, until when it may come back.</summary>
[GenerateSerializer, Alias("cg.ConsentAttempt")]
public sealed class ConsentAttempt
{
    [Id(0)] public string Nonce { get; set; } = "";
    [Id(1)] public EncryptedSecret Verifier { get; set; } = null!;
    [Id(2)] public DateTimeOffset ExpiresAt { get; set; }
    [Id(3)] public bool Used { get; set; }
}
