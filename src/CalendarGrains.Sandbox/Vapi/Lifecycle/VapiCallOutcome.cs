using System.Diagnostics.CodeAnalysis;

namespace CalendarGrains.Sandbox.Vapi;

/// <summary>
/// How an emulated call ends: whether it rings, whether someone (or a machine) picks up, and the
/// <c>endedReason</c> Vapi reports. The path is <c>queued → [ringing] → [in-progress] → ended</c>.
/// </summary>
public sealed record VapiCallOutcome(string Name, string EndedReason, bool Rings, bool Answers)
{
    /// <summary>Answered, talked, and the customer hung up.</summary>
    public static VapiCallOutcome Completed { get; } = new("completed", "customer-ended-call", Rings: true, Answers: true);

    public static VapiCallOutcome NoAnswer { get; } = new("no-answer", "customer-did-not-answer", Rings: true, Answers: false);

    /// <summary>Note: a busy line never rings; the carrier answers the dial attempt with busy at once.</summary>
    public static VapiCallOutcome Busy { get; } = new("busy", "customer-busy", Rings: false, Answers: false);

    /// <summary>Note: Vapi detects voicemail after the line is picked up, so the call is in progress first.</summary>
    public static VapiCallOutcome Voicemail { get; } = new("voicemail", "voicemail", Rings: true, Answers: true);

    /// <summary>The carrier could not place the call at all.</summary>
    public static VapiCallOutcome FailedToConnect { get; } = new("failed-to-connect", "twilio-failed-to-connect-call", Rings: false, Answers: false);

    public static IReadOnlyList<VapiCallOutcome> WellKnown { get; } = [Completed, NoAnswer, Busy, Voicemail, FailedToConnect];

    /// <summary>Any other ending (e.g. <c>assistant-ended-call</c>, <c>silence-timed-out</c>), after the call was answered or not.</summary>
    public static VapiCallOutcome EndedWith(string endedReason, bool answered = true)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(endedReason);
        return new VapiCallOutcome(endedReason, endedReason, Rings: true, Answers: answered);
    }

    /// <summary>Reads a well-known outcome by its name (<c>no-answer</c>) or its endedReason (<c>customer-did-not-answer</c>).</summary>
    public static bool TryParse(string? text, [NotNullWhen(true)] out VapiCallOutcome? outcome)
    {
        outcome = WellKnown.FirstOrDefault(known =>
            string.Equals(known.Name, text, StringComparison.OrdinalIgnoreCase) ||
            string.Equals(known.EndedReason, text, StringComparison.OrdinalIgnoreCase));
        return outcome is not null;
    }
}
