using CalendarGrains.Common;
using CalendarGrains.Indexing;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;

namespace CalendarGrains.Tests.Infrastructure;

/// <summary>
/// Fails grain-state writes and ordered-index changes on command, the way Redis timing out or a
/// silo dying between two writes would: the operation throws a <see cref="TimeoutException"/>,
/// either before anything was stored or after the write landed (its answer lost). Installed over
/// the sandbox's memory storage and in-memory index with <see cref="Install"/>.
/// </summary>
public sealed class StorageFaults
{
    private readonly Lock _gate = new();
    private readonly List<Fault> _faults = [];

    /// <summary>How many faults have fired.</summary>
    public int Fired { get; private set; }

    /// <summary>How many faults wait for their operation.</summary>
    public int Armed
    {
        get
        {
            lock (_gate)
            {
                return _faults.Count;
            }
        }
    }

    /// <summary>
    /// The next write of a <typeparamref name="TState"/> that matches <paramref name="when"/> fails.
    /// With <paramref name="afterWriting"/> it is stored first and only the answer is lost (the
    /// grain keeps its old ETag, as with a Redis timeout after the write).
    /// </summary>
    public void FailNextWrite<TState>(Func<TState, bool> when, bool afterWriting = false) =>
        Add(new Fault(state => state is TState typed && when(typed), null, afterWriting));

    /// <summary>The next add, remove or move in the ordered index that touches a set matching <paramref name="set"/> fails (before it happens).</summary>
    public void FailNextIndexChange(Func<string, bool> set) => Add(new Fault(null, set, false));

    /// <summary>Puts the faulty storage (for <see cref="StorageNames.State"/>) and index in a sandbox-mode host.</summary>
    public void Install(WebApplicationBuilder builder)
    {
        builder.Services.AddKeyedSingleton<IGrainStorage>(StorageNames.State, (services, key) =>
            new FaultyStorage(MemoryGrainStorageFactory.Create(services, (string)key!), this));
        builder.Services.AddSingleton<IOrderedIndex>(new FaultyIndex(new InMemoryOrderedIndex(), this));
    }

    private void Add(Fault fault)
    {
        lock (_gate)
        {
            _faults.Add(fault);
        }
    }

    private Fault? Take(Func<Fault, bool> matches)
    {
        lock (_gate)
        {
            var fault = _faults.FirstOrDefault(matches);
            if (fault is not null)
            {
                _faults.Remove(fault);
                Fired++;
            }

            return fault;
        }
    }

    private static TimeoutException Injected(string what) => new($"Injected fault: {what} timed out.");

    private sealed record Fault(Func<object?, bool>? State, Func<string, bool>? Set, bool AfterWriting);

    private sealed class FaultyStorage(IGrainStorage inner, StorageFaults faults) : IGrainStorage
    {
        public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) => inner.ReadStateAsync(stateName, grainId, grainState);

        public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
        {
            var fault = faults.Take(f => f.State is { } matches && matches(grainState.State));
            if (fault is null)
            {
                await inner.WriteStateAsync(stateName, grainId, grainState);
                return;
            }

            if (fault.AfterWriting)
            {
                var (etag, existed) = (grainState.ETag, grainState.RecordExists);
                await inner.WriteStateAsync(stateName, grainId, grainState);
                (grainState.ETag, grainState.RecordExists) = (etag, existed);
            }

            throw Injected($"writing {stateName} of {grainId}");
        }

        public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) => inner.ClearStateAsync(stateName, grainId, grainState);
    }

    private sealed class FaultyIndex(IOrderedIndex inner, StorageFaults faults) : IOrderedIndex
    {
        public Task AddAsync(string set, string member) => Check(set) ?? inner.AddAsync(set, member);

        public Task RemoveAsync(string set, string member) => Check(set) ?? inner.RemoveAsync(set, member);

        public Task MoveAsync(string fromSet, string toSet, string member) => Check(fromSet) ?? Check(toSet) ?? inner.MoveAsync(fromSet, toSet, member);

        public Task EnsureMembershipAsync(string member, IReadOnlyCollection<string> memberOf, IReadOnlyCollection<string> notMemberOf) =>
            memberOf.Concat(notMemberOf).Select(Check).FirstOrDefault(failure => failure is not null) ?? inner.EnsureMembershipAsync(member, memberOf, notMemberOf);

        public Task<IReadOnlyList<string>> PageAsync(string set, string? after, int limit) => inner.PageAsync(set, after, limit);

        public Task<IReadOnlyList<string>> PageFromAsync(string set, string from, int limit) => inner.PageFromAsync(set, from, limit);

        public Task<IReadOnlyList<string>> PageBackwardAsync(string set, string? before, int limit) => inner.PageBackwardAsync(set, before, limit);

        public Task<long> CountAsync(string set) => inner.CountAsync(set);

        private Task? Check(string set) =>
            faults.Take(f => f.Set is { } matches && matches(set)) is null ? null : Task.FromException(Injected($"changing index set {set}"));
    }
}
