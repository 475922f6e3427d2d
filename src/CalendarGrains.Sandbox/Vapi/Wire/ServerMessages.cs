using System.Text.Json;

namespace CalendarGrains.Sandbox.Vapi.Wire;

/// <summary>
/// The body Vapi POSTs to a server URL: <c>{"message": {...}}</c> (SDK type <c>ServerMessage</c>).
/// <see cref="Message"/> is typed <see cref="object"/> so it serializes as its runtime type.
/// </summary>
public sealed record ServerMessageEnvelope(object Message);

/// <summary>SDK type <c>ServerMessageStatusUpdate</c>: sent whenever <c>call.status</c> changes.</summary>
public sealed record StatusUpdateMessage
{
    public string Type { get; init; } = "status-update";

    public required string Status { get; init; }

    /// <summary>Only when <see cref="Status"/> is <c>ended</c>.</summary>
    public string? EndedReason { get; init; }

    /// <summary>Epoch milliseconds.</summary>
    public required long Timestamp { get; init; }

    public required VapiCall Call { get; init; }

    public JsonElement? Customer { get; init; }

    public JsonElement? Assistant { get; init; }
}

/// <summary>SDK type <c>ServerMessageEndOfCallReport</c>: sent once, after the call has ended.</summary>
public sealed record EndOfCallReportMessage
{
    public string Type { get; init; } = "end-of-call-report";

    public required string EndedReason { get; init; }

    public DateTimeOffset? StartedAt { get; init; }

    public DateTimeOffset? EndedAt { get; init; }

    public required double Cost { get; init; }

    public required VapiArtifact Artifact { get; init; }

    public required VapiAnalysis Analysis { get; init; }

    /// <summary>Epoch milliseconds.</summary>
    public required long Timestamp { get; init; }

    public required VapiCall Call { get; init; }

    public JsonElement? Customer { get; init; }

    public JsonElement? Assistant { get; init; }
}
