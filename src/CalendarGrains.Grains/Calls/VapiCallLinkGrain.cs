using CalendarGrains.Common;

namespace CalendarGrains.Calls;

/// <inheritdoc cref="IVapiCallLinkGrain"/>
public sealed class VapiCallLinkGrain(
    [PersistentState("vapicall", StorageNames.State)] IPersistentState<VapiCallLinkState> state) : Grain, IVapiCallLinkGrain
{
    public async Task LinkAsync(string tenantId, string callId)
    {
        if (state.State.Link is not null)
        {
            return; // A Vapi call is one of our calls for good.
        }

        state.State.Link = new VapiCallLink(tenantId, callId);
        await state.WriteStateAsync();
    }

    public Task<VapiCallLink?> GetAsync() => Task.FromResult(state.State.Link);
}

[GenerateSerializer, Alias("cg.VapiCallLinkState")]
public sealed class VapiCallLinkState
{
    [Id(0)] public VapiCallLink? Link { get; set; }
}
