using CalendarGrains.Webhooks;

namespace CalendarGrains.Calls;

/// <summary>A call as stored. Bounded: the history keeps the last <see cref="CallState.MaxHistory"/> changes.</summary>
[GenerateSerializer, Alias("cg.CallState")]
public sealed class CallState
{
    public const int MaxHistory = 20;

    /// <summary>Attempts whose Vapi call never started (concurrency-blocked): their messages are ignored.</summary>
    public const int MaxAbandoned = 8;

    /// <summary>Null until the call exists.</summary>
    [Id(0)] public CallDefinition? Definition { get; set; }
    [Id(1)] public CallStatus Status { get; set; }
    [Id(2)] public List<CallStatusChange> History { get; set; } = [];
    [Id(3)] public DateTimeOffset CreatedAt { get; set; }
    [Id(4)] public DateTimeOffset UpdatedAt { get; set; }
    [Id(5)] public string? VapiCallId { get; set; }
    [Id(6)] public string? EndedReason { get; set; }
    [Id(7)] public double? Cost { get; set; }
    [Id(8)] public DateTimeOffset? StartedAt { get; set; }
    [Id(9)] public DateTimeOffset? EndedAt { get; set; }
    [Id(10)] public CallError? LastError { get; set; }

    /// <summary>The call's place in its tenant's line, once it has one.</summary>
    [Id(11)] public long? QueueTicket { get; set; }

    /// <summary>True between being granted a slot and giving it back.</summary>
    [Id(12)] public bool HoldsSlot { get; set; }

    /// <summary>When it could first start (accepted, or its scheduled time): dispatch latency counts from here.</summary>
    [Id(13)] public DateTimeOffset? EligibleAt { get; set; }

    /// <summary>"About to dispatch": written before every <c>POST /call</c>.</summary>
    [Id(14)] public int DispatchAttempts { get; set; }

    [Id(15)] public DateTimeOffset? FirstDispatchAt { get; set; }

    [Id(16)] public DateTimeOffset? LastDispatchAt { get; set; }

    /// <summary>The last <c>POST /call</c> has no known outcome: Vapi must be asked before anything is sent again.</summary>
    [Id(17)] public bool Unconfirmed { get; set; }

    [Id(18)] public int ConsecutiveRefusals { get; set; }

    [Id(19)] public List<string> AbandonedVapiCallIds { get; set; } = [];

    [Id(20)] public DateTimeOffset? LastVapiNewsAt { get; set; }

    [Id(21)] public int ConsecutiveNotFound { get; set; }

    /// <summary>The <c>call.ended</c> webhook went out (with the end-of-call report, or after waiting for it).</summary>
    [Id(22)] public bool EndedAnnounced { get; set; }

    /// <summary>The end-of-call report (or a poll of the ended call) has been applied: cost and times are final.</summary>
    [Id(23)] public bool HasFinalReport { get; set; }

    /// <summary>Attempts whose outcome stayed unknown (refusals do not count): bounded by <see cref="CallOptions.MaxDispatchAttempts"/>.</summary>
    [Id(24)] public int UnconfirmedAttempts { get; set; }

    /// <summary>Counts the call's webhooks: their ids are <c>{callId}:{version}</c>, the same on every retry.</summary>
    [Id(25)] public long EventVersion { get; set; }

    /// <summary>Webhooks stored with their change and not yet taken by the tenant's outbox.</summary>
    [Id(26)] public List<OwedWebhook> OwedWebhooks { get; set; } = [];
}
