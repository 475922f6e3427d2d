namespace CalendarGrains.Calls;

/// <summary>A call as the API shows it.</summary>
[GenerateSerializer, Immutable, Alias("cg.CallView")]
public sealed record CallView(
    [property: Id(0)] string Id,
    [property: Id(1)] string TenantId,
    [property: Id(2)] string ConnectionId,
    [property: Id(3)] CallStatus Status,
    [property: Id(4)] string? VapiCallId,
    [property: Id(5)] CallCustomer Customer,
    [property: Id(6)] string? AssistantId,
    [property: Id(7)] string PhoneNumberId,
    [property: Id(8)] DateTimeOffset? ScheduledAt,
    [property: Id(9)] string? EndedReason,
    [property: Id(10)] double? Cost,
    [property: Id(11)] IReadOnlyList<CallStatusChange> StatusHistory,
    [property: Id(12)] DateTimeOffset CreatedAt,
    [property: Id(13)] DateTimeOffset UpdatedAt,
    [property: Id(14)] DateTimeOffset? StartedAt,
    [property: Id(15)] DateTimeOffset? EndedAt,
    [property: Id(16)] string? MetadataJson,
    [property: Id(17)] CallError? LastError);

/// <summary>
/// One step of a call's history. <see cref="Reason"/> says why when there is a why: the error code
/// of <c>failed</c> or of a refusal back to <c>pending</c>, Vapi's ended reason; never a secret.
/// </summary>
[GenerateSerializer, Immutable, Alias("cg.CallStatusChange")]
public sealed record CallStatusChange(
    [property: Id(0)] CallStatus Status,
    [property: Id(1)] DateTimeOffset At,
    [property: Id(2)] string? Reason = null);

/// <summary>Why a call failed or was put back in line; <see cref="Code"/> is stable (snake_case).</summary>
[GenerateSerializer, Immutable, Alias("cg.CallError")]
public sealed record CallError(
    [property: Id(0)] string Code,
    [property: Id(1)] string Message,
    [property: Id(2)] DateTimeOffset At);
