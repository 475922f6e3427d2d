using CalendarGrains.Common;

namespace CalendarGrains.Connections;

/// <inheritdoc cref="IEndUserGrain"/>
public sealed class EndUserGrain(
    [PersistentState("enduser", StorageNames.State)] IPersistentState<EndUserState> state) : Grain, IEndUserGrain
{
    public async Task<string> ClaimAsync(string candidateId)
    {
        if (state.State.ConnectionId is { } existing)
        {
            return existing;
        }

        state.State.ConnectionId = candidateId;
        await state.WriteStateAsync();
        return candidateId;
    }

    public Task<string?> GetConnectionIdAsync() => Task.FromResult(state.State.ConnectionId);

    public async Task ReleaseAsync(string connectionId)
    {
        if (string.Equals(state.State.ConnectionId, connectionId, StringComparison.Ordinal))
        {
            await state.ClearStateAsync();
        }
    }
}

[GenerateSerializer, Alias("cg.EndUserState")]
public sealed class EndUserState
{
    [Id(0)] public string? ConnectionId { get; set; }
}
