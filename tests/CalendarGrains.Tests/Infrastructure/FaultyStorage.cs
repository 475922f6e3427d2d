using CalendarGrains.Common;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;

namespace CalendarGrains.Tests.Infrastructure;

/// <summary>
/// The service's real grain storage (memory or Redis) behind a <see cref="FaultSwitch"/>: writes
/// and clears fail on command (their subject is <c>{stateName}/{grainId}</c>), reads always work.
/// </summary>
public sealed class FaultyStorage(IGrainStorage inner, FaultSwitch faults) : IGrainStorage, ILifecycleParticipant<ISiloLifecycle>
{
    /// <summary>Wraps the grain storage named <see cref="StorageNames.State"/> (call from the host's configure hook).</summary>
    public static void Install(WebApplicationBuilder builder, FaultSwitch faults)
    {
        var registered = builder.Services.Last(d => d.ServiceType == typeof(IGrainStorage) && Equals(d.ServiceKey, StorageNames.State));
        builder.Services.Remove(registered);
        builder.Services.AddKeyedSingleton<IGrainStorage>(StorageNames.State, (services, key) =>
            new FaultyStorage((IGrainStorage)(registered.KeyedImplementationInstance ?? registered.KeyedImplementationFactory!(services, key)), faults));
    }

    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) => inner.ReadStateAsync(stateName, grainId, grainState);

    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState, CancellationToken cancellationToken) =>
        inner.ReadStateAsync(stateName, grainId, grainState, cancellationToken);

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        faults.ThrowIfArmed($"{stateName}/{grainId}");
        return inner.WriteStateAsync(stateName, grainId, grainState);
    }

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState, CancellationToken cancellationToken)
    {
        faults.ThrowIfArmed($"{stateName}/{grainId}");
        return inner.WriteStateAsync(stateName, grainId, grainState, cancellationToken);
    }

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        faults.ThrowIfArmed($"{stateName}/{grainId}");
        return inner.ClearStateAsync(stateName, grainId, grainState);
    }

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState, CancellationToken cancellationToken)
    {
        faults.ThrowIfArmed($"{stateName}/{grainId}");
        return inner.ClearStateAsync(stateName, grainId, grainState, cancellationToken);
    }

    public void Participate(ISiloLifecycle observer) => (inner as ILifecycleParticipant<ISiloLifecycle>)?.Participate(observer);
}
