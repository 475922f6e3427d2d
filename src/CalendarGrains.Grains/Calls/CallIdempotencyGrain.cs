using CalendarGrains.Common;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace CalendarGrains.Calls;

/// <inheritdoc cref="ICallIdempotencyGrain"/>
/// <remarks>
/// The claim (call id and request hash) is stored before the call is created, so a crash between
/// the two cannot make a retry with the same key create a second call: the retry finds the claim
/// and completes the creation of that same call (creating a call is idempotent).
/// A claim lasts <see cref="CallOptions.IdempotencyKeyRetention"/>: Redis drops the record then,
/// and a claim found older than that (an activation that outlived its record, or memory storage)
/// is re-read and, if still there, replaced as if the key were new.
/// </remarks>
public sealed class CallIdempotencyGrain(
    [PersistentState("idempotency", StorageNames.IdempotencyKeys)] IPersistentState<CallIdempotencyState> state,
    IOptions<CallOptions> options,
    [FromKeyedServices(ServiceTime.Key)] TimeProvider time) : Grain, ICallIdempotencyGrain
{
    public async Task<CallCreation> CreateOnceAsync(string requestHash, string candidateCallId, CallDefinition definition)
    {
        if (HasExpired(state.State))
        {
            // Re-read first: the record may have expired in Redis while this activation lived, and
            // a write against its old ETag would be refused.
            await state.ReadStateAsync();
            if (HasExpired(state.State))
            {
                state.State.CallId = null;
                state.State.RequestHash = null;
            }
        }

        var s = state.State;
        if (s.CallId is not null && !string.Equals(s.RequestHash, requestHash, StringComparison.Ordinal))
        {
            return new CallCreation(CallCreationOutcome.IdempotencyConflict, null);
        }

        // Note: a repeat goes through the call's CreateAsync too (not a read that interleaves), which
        // answers Existing only once the call is in the list index: a retry after a failed index
        // write is what lists it. It may wait behind a POST /call, at most the operation budget.
        var call = GrainFactory.GetGrain<ICallDispatchGrain>(s.CallId ?? candidateCallId);
        if (s.CallId is null)
        {
            s.CallId = candidateCallId;
            s.RequestHash = requestHash;
            s.ClaimedAt = time.GetUtcNow();
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

    /// <summary>A claim from before claims had a time (<c>ClaimedAt</c> unset) never expires here: no second call by accident.</summary>
    private bool HasExpired(CallIdempotencyState claim) =>
        claim.CallId is not null && claim.ClaimedAt is { } at && time.GetUtcNow() - at >= options.Value.IdempotencyKeyRetention;
}

[GenerateSerializer, Alias("cg.CallIdempotencyState")]
public sealed class CallIdempotencyState
{
    [Id(0)] public string? CallId { get; set; }
    [Id(1)] public string? RequestHash { get; set; }
    [Id(2)] public DateTimeOffset? ClaimedAt { get; set; }
}
