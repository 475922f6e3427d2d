using CalendarGrains.Common;
using Microsoft.Extensions.DependencyInjection;

namespace CalendarGrains.Tools;

/// <inheritdoc cref="IToolSettingsGrain"/>
public sealed class ToolSettingsGrain(
    [PersistentState("toolsettings", StorageNames.State)] IPersistentState<ToolSettingsState> state,
    [FromKeyedServices(ServiceTime.Key)] TimeProvider time) : Grain, IToolSettingsGrain
{
    public Task<ToolSettings> GetAsync() => Task.FromResult(state.State.Settings ?? ToolSettings.Default);

    public async Task<ToolSettings> SetAsync(ToolSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        state.State.Settings = settings with { UpdatedAt = time.GetUtcNow() };
        await state.WriteStateAsync();
        return state.State.Settings;
    }
}

[GenerateSerializer, Alias("cg.ToolSettingsState")]
public sealed class ToolSettingsState
{
    [Id(0)] public ToolSettings? Settings { get; set; }
}
