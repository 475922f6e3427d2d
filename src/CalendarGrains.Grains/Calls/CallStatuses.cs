namespace CalendarGrains.Calls;

/// <summary>The rules of the call state machine.</summary>
public static class CallStatuses
{
    public static bool IsFinal(CallStatus status) => status is CallStatus.Ended or CallStatus.Failed or CallStatus.Canceled;

    /// <summary>At Vapi and not over: it holds a concurrency slot there.</summary>
    public static bool IsLive(CallStatus status) => status is CallStatus.Queued or CallStatus.Ringing or CallStatus.InProgress or CallStatus.Forwarding;

    /// <summary>Vapi's status, as ours; null for the ones that say nothing about progress (<c>scheduled</c>, <c>not-found</c>, ...).</summary>
    public static CallStatus? FromVapi(string? status) => status switch
    {
        "queued" => CallStatus.Queued,
        "ringing" => CallStatus.Ringing,
        "in-progress" => CallStatus.InProgress,
        "forwarding" => CallStatus.Forwarding,
        "ended" => CallStatus.Ended,
        _ => null,
    };

    /// <summary>A Vapi status moves a call only forward: a later step, and never out of a final status.</summary>
    public static bool IsForward(CallStatus from, CallStatus to) => !IsFinal(from) && to > from;

    public static string WireName(CallStatus status) => status switch
    {
        CallStatus.Pending => "pending",
        CallStatus.Dispatching => "dispatching",
        CallStatus.Queued => "queued",
        CallStatus.Ringing => "ringing",
        CallStatus.InProgress => "in-progress",
        CallStatus.Forwarding => "forwarding",
        CallStatus.Ended => "ended",
        CallStatus.Failed => "failed",
        _ => "canceled",
    };

    public static bool TryParse(string? text, out CallStatus status)
    {
        foreach (var candidate in Enum.GetValues<CallStatus>())
        {
            if (string.Equals(WireName(candidate), text, StringComparison.Ordinal))
            {
                status = candidate;
                return true;
            }
        }

        status = default;
        return false;
    }
}
