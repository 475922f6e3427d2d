namespace CalendarGrains.Calls;

/// <summary>
/// What Vapi said about one of its calls: a server message (<c>status-update</c>,
/// <c>end-of-call-report</c>) or the answer to a poll of <c>GET /call/{id}</c>.
/// </summary>
/// <param name="TenantId">The tenant whose events endpoint received it (checked against the call's).</param>
/// <param name="VapiCallId">Vapi's id of the call.</param>
/// <param name="Source">One of <see cref="VapiEventSources"/>.</param>
/// <param name="Status">Vapi's status string (<c>queued</c>, <c>ringing</c>, ...), if it gave one.</param>
/// <param name="EndedReason">Vapi's raw <c>endedReason</c>, kept as is.</param>
/// <param name="StartedAt">When Vapi says the call started.</param>
/// <param name="EndedAt">When Vapi says the call ended.</param>
/// <param name="Cost">Vapi's cost of the call (USD).</param>
[GenerateSerializer, Immutable, Alias("cg.VapiCallEvent")]
public sealed record VapiCallEvent(
    [property: Id(0)] string TenantId,
    [property: Id(1)] string VapiCallId,
    [property: Id(2)] string Source,
    [property: Id(3)] string? Status,
    [property: Id(4)] string? EndedReason,
    [property: Id(5)] DateTimeOffset? StartedAt,
    [property: Id(6)] DateTimeOffset? EndedAt,
    [property: Id(7)] double? Cost);

public static class VapiEventSources
{
    public const string StatusUpdate = "status-update";
    public const string EndOfCallReport = "end-of-call-report";
    public const string Poll = "poll";
}
