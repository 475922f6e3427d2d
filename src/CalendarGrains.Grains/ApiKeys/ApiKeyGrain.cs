using CalendarGrains.Common;

namespace CalendarGrains.ApiKeys;

/// <inheritdoc cref="IApiKeyGrain"/>
public sealed class ApiKeyGrain(
    [PersistentState("apikey", StorageNames.State)] IPersistentState<ApiKeyState> state,
    IApiKeyRevocationBus revocations) : Grain, IApiKeyGrain
{
    public async Task RegisterAsync(ApiKeyOwner owner)
    {
        state.State.Owner = owner;
        await state.WriteStateAsync();
    }

    public Task<ApiKeyOwner?> ResolveAsync() => Task.FromResult(state.State.Owner);

    public async Task RevokeAsync()
    {
        await state.ClearStateAsync();
        await revocations.PublishAsync(this.GetPrimaryKeyString());
    }
}

[GenerateSerializer, Alias("cg.ApiKeyState")]
public sealed class ApiKeyState
{
    [Id(0)] public ApiKeyOwner? Owner { get; set; }
}
