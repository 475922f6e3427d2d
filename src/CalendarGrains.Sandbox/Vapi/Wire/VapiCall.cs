using System.Text.Json;

namespace CalendarGrains.Sandbox.Vapi.Wire;

/// <summary>
/// A Vapi Call as <c>POST /call</c>, <c>GET /call/{id}</c> and server messages carry it (SDK type <c>Call</c>).
/// What the caller sent (assistant, overrides, customer, ...) is echoed as sent.
/// </summary>
public sealed record VapiCall
{
    public required string Id { get; init; }

    public required string OrgId { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public required DateTimeOffset UpdatedAt { get; init; }

    public string Type { get; init; } = "outboundPhoneCall";

    public required string Status { get; init; }

    public string? EndedReason { get; init; }

    public DateTimeOffset? StartedAt { get; init; }

    public DateTimeOffset? EndedAt { get; init; }

    public double? Cost { get; init; }

    public VapiCostBreakdown? CostBreakdown { get; init; }

    public VapiArtifact? Artifact { get; init; }

    public VapiAnalysis? Analysis { get; init; }

    public string? Name { get; init; }

    public string? AssistantId { get; init; }

    public JsonElement? Assistant { get; init; }

    public JsonElement? AssistantOverrides { get; init; }

    public string? SquadId { get; init; }

    public JsonElement? Squad { get; init; }

    public JsonElement? SquadOverrides { get; init; }

    public string? WorkflowId { get; init; }

    public JsonElement? Workflow { get; init; }

    public JsonElement? WorkflowOverrides { get; init; }

    public string? PhoneNumberId { get; init; }

    public JsonElement? PhoneNumber { get; init; }

    public string? CustomerId { get; init; }

    public JsonElement? Customer { get; init; }

    public JsonElement? SchedulePlan { get; init; }

    /// <summary>Only on the <c>POST /call</c> response: the org's concurrency at the moment of creation.</summary>
    public VapiSubscriptionLimits? SubscriptionLimits { get; init; }
}

/// <summary>SDK type <c>SubscriptionLimits</c>.</summary>
public sealed record VapiSubscriptionLimits(bool ConcurrencyBlocked, int ConcurrencyLimit, int RemainingConcurrentCalls);

/// <summary>SDK type <c>CostBreakdown</c> (USD).</summary>
public sealed record VapiCostBreakdown(double Transport, double Stt, double Llm, double Tts, double Vapi, double Total);

/// <summary>SDK type <c>Artifact</c>, the parts an emulated call can honestly fill.</summary>
public sealed record VapiArtifact(IReadOnlyList<VapiArtifactMessage> Messages, string? Transcript);

/// <summary>SDK types <c>BotMessage</c> / <c>UserMessage</c>: times are epoch milliseconds.</summary>
public sealed record VapiArtifactMessage(string Role, string Message, long Time, long EndTime, double SecondsFromStart);

/// <summary>SDK type <c>Analysis</c>.</summary>
public sealed record VapiAnalysis(string? Summary, string? SuccessEvaluation);
