namespace CalendarGrains.Calls;

/// <summary>
/// One grain per tenant: the tenant's concurrency slots at Vapi and the line of calls waiting for
/// one, in arrival order. Only that tenant's calls pass through it, so tenants never wait on each
/// other. The waiting line lives in the ordered index (bounded grain state however long it gets).
/// </summary>
/// <remarks>
/// Note: the queue never awaits a call grain. It tells a call that it has a slot with the one-way
/// <see cref="ICallDispatchGrain.SlotGrantedAsync"/>; calls report back with the awaited methods
/// here. A non-reentrant queue and a non-reentrant call awaiting each other would deadlock.
/// </remarks>
[Alias("cg.ICallQueueGrain")]
public interface ICallQueueGrain : IGrainWithStringKey
{
    /// <summary>
    /// Puts a call in line (again: idempotent). Answers the call's ticket, its place in line, which
    /// the call passes back on later calls (a call put back after a refusal keeps its place).
    /// </summary>
    Task<long> EnqueueAsync(string callId, long? ticket);

    /// <summary>The call's <c>POST /call</c> is over (accepted, or being reconciled): the next call may be sent.</summary>
    Task DispatchedAsync(string callId);

    /// <summary>Vapi refused the call for now (429, concurrency limit): back to its place in line; nobody is sent for <paramref name="holdFor"/>.</summary>
    Task RequeueAsync(string callId, long ticket, TimeSpan holdFor);

    /// <summary>The call is over (or canceled): frees its slot or its place in line.</summary>
    Task ReleaseAsync(string callId, long? ticket);

    /// <summary>For operators and tests.</summary>
    [AlwaysInterleave]
    Task<CallQueueStatus> GetStatusAsync();
}

[GenerateSerializer, Immutable, Alias("cg.CallQueueStatus")]
public sealed record CallQueueStatus(
    [property: Id(0)] long Waiting,
    [property: Id(1)] int Live,
    [property: Id(2)] int Limit,
    [property: Id(3)] DateTimeOffset? HoldUntil);
