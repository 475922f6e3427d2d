using CalendarGrains.Sandbox.Vapi.Wire;

namespace CalendarGrains.Sandbox.Vapi.Lifecycle;

/// <summary>What Vapi reports once a call has ended: cost, artifact, analysis.</summary>
internal sealed record CallReport(double Cost, VapiCostBreakdown CostBreakdown, VapiArtifact Artifact, VapiAnalysis Analysis)
{
    // Per-minute prices in USD, in the range Vapi's pricing page shows; only the talk time is billed.
    private const double TransportPerMinute = 0.01;
    private const double SttPerMinute = 0.01;
    private const double LlmPerMinute = 0.02;
    private const double TtsPerMinute = 0.036;
    private const double VapiPerMinute = 0.05;

    private static readonly CallReport Unanswered = new(
        0,
        new VapiCostBreakdown(0, 0, 0, 0, 0, 0),
        new VapiArtifact([], null),
        new VapiAnalysis(null, null));

    /// <summary>A report for a call answered at <paramref name="answeredAt"/> (or never) and ended at <paramref name="endedAt"/>.</summary>
    public static CallReport For(DateTimeOffset? answeredAt, DateTimeOffset endedAt, string endedReason)
    {
        if (answeredAt is not { } answered)
        {
            return Unanswered;
        }

        var minutes = Math.Max(0, (endedAt - answered).TotalMinutes);
        var breakdown = new VapiCostBreakdown(
            Transport: Usd(TransportPerMinute * minutes),
            Stt: Usd(SttPerMinute * minutes),
            Llm: Usd(LlmPerMinute * minutes),
            Tts: Usd(TtsPerMinute * minutes),
            Vapi: Usd(VapiPerMinute * minutes),
            Total: Usd((TransportPerMinute + SttPerMinute + LlmPerMinute + TtsPerMinute + VapiPerMinute) * minutes));
        return new CallReport(breakdown.Total, breakdown, Conversation(answered, endedAt, endedReason), AnalysisOf(endedReason));
    }

    private static VapiArtifact Conversation(DateTimeOffset answeredAt, DateTimeOffset endedAt, string endedReason)
    {
        var start = answeredAt.ToUnixTimeMilliseconds();
        var end = Math.Max(start, endedAt.ToUnixTimeMilliseconds());
        var middle = start + ((end - start) / 2);
        var (bot, user) = endedReason == "voicemail"
            ? ("Hello, this is an emulated Vapi assistant.", "The person you are calling is not available. Please leave a message.")
            : ("Hello, this is an emulated Vapi assistant.", "Thanks, that's all. Goodbye.");
        return new VapiArtifact(
            [
                new VapiArtifactMessage("bot", bot, start, middle, 0),
                new VapiArtifactMessage("user", user, middle, end, (middle - start) / 1000.0),
            ],
            $"AI: {bot}\nUser: {user}");
    }

    private static VapiAnalysis AnalysisOf(string endedReason) => endedReason == "voicemail"
        ? new VapiAnalysis("The call reached voicemail.", "false")
        : new VapiAnalysis("The emulated call connected and ended normally.", "true");

    private static double Usd(double amount) => Math.Round(amount, 4, MidpointRounding.AwayFromZero);
}
