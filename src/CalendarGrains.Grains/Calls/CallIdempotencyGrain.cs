using CalendarGrains.Common;

namespace CalendarGrains.Calls;

/// <inheritdoc cref="ICallIdempotencyGrain"/>
/// <remarks>
/// The claim (call id and request hash) is stored before the call is created, so a crash between
/// the two cannot make a retry with the same key create a second call: the retry finds the claim
/// and completes the creation of that same call (creating a call is idempotent).
/// </remarks>
public sealed class CallIdempotencyGrain(
    [PersistentState("idempotency", StorageNames.State)] IPersistentState<CallIdempotencyState> state) : Grain, ICallIdempotencyGrain
{
    public async Task<CallCreation> CreateOnceAsync(string requestHash, string candidateCallId, CallDefinition definition)
    {
        var s = state.State;
        if (s.CallId is not null && !string.Equals(s.RequestHash, requestHash, StringComparison.Ordinal))
        {
            return new CallCreation(CallCreationOutcome.IdempotencyConflict, null);
        }

        var call = GrainFactory.GetGrain<ICallDispatchGrain>(s.CallId ?? candidateCallId);
        if (s.CallId is not null && await call.GetAsync(definition.TenantId) is { } existing)
        {
            // A read that interleaves: a repeat never waits behind the call's POST /call.
            return new CallCreation(CallCreationOutcome.Existing, existing);
        }

        if (s.CallId is null)
        {
            s.CallId = candidateCallId;
            s.RequestHash = requestHash;
            await state.WriteStateAsync();
        }

        var created = await call.CreateAsync(definition);
        if (created.Outcome is CallCreationOutcome.ConnectionNotFound or CallCreationOutcome.ConnectionNeedsReauth)
        {
            // Refused before anything existed: the key stays free for the corrected request.
            await state.ClearStateAsync();
            return created;
        }

        return created;
    }
}

[GenerateSerializer, Alias("cg.CallIdempotencyState")]
public sealed class CallIdempotencyState
{
    [Id(0)] public string? CallId { get; set; }
    [Id(1)] public string? RequestHash { get; set; }
}
