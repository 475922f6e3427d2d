namespace CalendarGrains.Calls;

/// <summary>
/// One grain per call (<c>call_</c> + ULID): owns the call's state machine, places it at Vapi
/// exactly once when its tenant's queue gives it a slot, and follows it to the end from Vapi's
/// server messages (or, when they stop coming, by polling).
/// </summary>
/// <remarks>
/// Calls between grains go one way only, so no two grains ever await each other: this grain
/// awaits its <see cref="ICallQueueGrain"/>, the queue answers it with the one-way
/// <see cref="SlotGrantedAsync"/>. Every method takes the caller's tenant id where a tenant
/// asks: another tenant's call does not exist for it.
/// </remarks>
[Alias("cg.ICallDispatchGrain")]
public interface ICallDispatchGrain : IGrainWithStringKey
{
    /// <summary>Accepts the call (idempotent: an existing call answers <see cref="CallCreationOutcome.Existing"/>).</summary>
    Task<CallCreation> CreateAsync(CallDefinition definition);

    /// <summary>The call, or null when it does not exist for this tenant. Never waits behind a dispatch.</summary>
    [AlwaysInterleave]
    Task<CallView?> GetAsync(string tenantId);

    /// <summary>Cancels the call if it is still pending (Vapi does not have it yet).</summary>
    Task<CancelResult> CancelAsync(string tenantId);

    /// <summary>From the tenant's queue: this call may use a concurrency slot now.</summary>
    [OneWay]
    Task SlotGrantedAsync(string tenantId);

    /// <summary>Something Vapi said about this call; late, repeated and out-of-order news never moves it backwards.</summary>
    [OneWay]
    Task ApplyVapiEventAsync(VapiCallEvent vapiEvent);
}
