using CalendarGrains.Sandbox.Vapi.Accounts;
using CalendarGrains.Sandbox.Vapi.Lifecycle;
using CalendarGrains.Sandbox.Vapi.Webhooks;
using CalendarGrains.Sandbox.Vapi.Wire;

namespace CalendarGrains.Sandbox.Vapi.Calls;

/// <summary>One emulated call and everything that moves it. Guarded by the emulator's lock.</summary>
internal sealed class EmulatedCall
{
    public required string Id { get; init; }

    /// <summary>Creation order, to break ties between calls created in the same millisecond.</summary>
    public required long Sequence { get; init; }

    public required VapiAccount Account { get; init; }

    public required CreateCallRequest Request { get; init; }

    /// <summary><c>outboundPhoneCall</c> (placed with <c>POST /call</c>) or <c>inboundPhoneCall</c> (a simulated caller).</summary>
    public string Type { get; init; } = "outboundPhoneCall";

    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>Until then the call is "not visible yet" (Vapi's eventual consistency).</summary>
    public required DateTimeOffset VisibleAt { get; init; }

    public required ServerTarget? Server { get; init; }

    public required VapiCallOutcome Outcome { get; set; }

    public required bool Automatic { get; set; }

    public required string Status { get; set; }

    public required DateTimeOffset UpdatedAt { get; set; }

    public VapiSubscriptionLimits? Limits { get; set; }

    public string? EndedReason { get; set; }

    public DateTimeOffset? StartedAt { get; set; }

    public DateTimeOffset? AnsweredAt { get; set; }

    public DateTimeOffset? EndedAt { get; set; }

    public CallReport? Report { get; set; }

    /// <summary>The pending automatic step, if any; <see cref="TimerVersion"/> tells a stale timer from the current one.</summary>
    public ITimer? Timer { get; set; }

    public int TimerVersion { get; set; }

    /// <summary>The last server message queued for this call: the next one waits for it, so a call's messages keep their order.</summary>
    public Task DeliveryTail { get; set; } = Task.CompletedTask;

    /// <summary>Out-of-order mode: a message held back until the call's next message has gone.</summary>
    public PendingDelivery? HeldDelivery { get; set; }

    public bool IsLive => CallStatuses.IsLive(Status);

    public bool IsEnded => Status == CallStatuses.Ended;

    public void CancelTimer()
    {
        Timer?.Dispose();
        Timer = null;
        TimerVersion++;
    }

    public VapiCall ToWire(bool withSubscriptionLimits = false) => new()
    {
        Id = Id,
        OrgId = Account.OrgId,
        Type = Type,
        CreatedAt = CreatedAt,
        UpdatedAt = UpdatedAt,
        Status = Status,
        EndedReason = EndedReason,
        StartedAt = StartedAt,
        EndedAt = EndedAt,
        Cost = Report?.Cost,
        CostBreakdown = Report?.CostBreakdown,
        Artifact = Report?.Artifact,
        Analysis = Report?.Analysis,
        Name = Request.String("name"),
        AssistantId = Request.String("assistantId"),
        Assistant = Request.Assistant,
        AssistantOverrides = Request.AssistantOverrides,
        SquadId = Request.String("squadId"),
        Squad = Request.Element("squad"),
        SquadOverrides = Request.Element("squadOverrides"),
        WorkflowId = Request.String("workflowId"),
        Workflow = Request.Element("workflow"),
        WorkflowOverrides = Request.Element("workflowOverrides"),
        PhoneNumberId = Request.String("phoneNumberId"),
        PhoneNumber = Request.Element("phoneNumber"),
        CustomerId = Request.String("customerId"),
        Customer = Request.Customer,
        SchedulePlan = Request.Element("schedulePlan"),
        SubscriptionLimits = withSubscriptionLimits ? Limits : null,
    };
}
