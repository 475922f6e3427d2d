namespace CalendarGrains.Sandbox.Vapi.Wire;

/// <summary>Vapi's <c>CallStatus</c> strings that the emulator produces.</summary>
public static class CallStatuses
{
    public const string Scheduled = "scheduled";
    public const string Queued = "queued";
    public const string Ringing = "ringing";
    public const string InProgress = "in-progress";
    public const string Forwarding = "forwarding";
    public const string Ended = "ended";

    /// <summary>A live call holds one of the org's concurrency slots.</summary>
    public static bool IsLive(string status) =>
        status is Queued or Ringing or InProgress or Forwarding;
}
