using CalendarGrains.Indexing;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace CalendarGrains.Tests.Infrastructure;

/// <summary>
/// The service's real list index (memory or Redis) behind a <see cref="FaultSwitch"/>: writes fail
/// on command (their subject is the sets they touch), reads always work.
/// </summary>
public sealed class FaultyIndex(IOrderedIndex inner, FaultSwitch faults) : IOrderedIndex
{
    /// <summary>Wraps whatever <see cref="IOrderedIndex"/> the host registered (call from the host's configure hook).</summary>
    public static void Install(WebApplicationBuilder builder, FaultSwitch faults)
    {
        var registered = builder.Services.Last(d => d.ServiceType == typeof(IOrderedIndex));
        builder.Services.Remove(registered);
        builder.Services.AddSingleton<IOrderedIndex>(services => new FaultyIndex(Create(services, registered), faults));
    }

    public Task AddAsync(string set, string member)
    {
        faults.ThrowIfArmed(set);
        return inner.AddAsync(set, member);
    }

    public Task RemoveAsync(string set, string member)
    {
        faults.ThrowIfArmed(set);
        return inner.RemoveAsync(set, member);
    }

    public Task MoveAsync(string fromSet, string toSet, string member)
    {
        faults.ThrowIfArmed($"{fromSet} {toSet}");
        return inner.MoveAsync(fromSet, toSet, member);
    }

    public Task EnsureMembershipAsync(string member, IReadOnlyCollection<string> memberOf, IReadOnlyCollection<string> notMemberOf)
    {
        faults.ThrowIfArmed(string.Join(' ', memberOf.Concat(notMemberOf)));
        return inner.EnsureMembershipAsync(member, memberOf, notMemberOf);
    }

    public Task<IReadOnlyList<string>> PageAsync(string set, string? after, int limit) => inner.PageAsync(set, after, limit);

    public Task<IReadOnlyList<string>> PageFromAsync(string set, string from, int limit) => inner.PageFromAsync(set, from, limit);

    public Task<IReadOnlyList<string>> PageBackwardAsync(string set, string? before, int limit) => inner.PageBackwardAsync(set, before, limit);

    public Task<long> CountAsync(string set) => inner.CountAsync(set);

    private static IOrderedIndex Create(IServiceProvider services, ServiceDescriptor registered) =>
        (IOrderedIndex)(registered.ImplementationInstance
            ?? registered.ImplementationFactory?.Invoke(services)
            ?? ActivatorUtilities.CreateInstance(services, registered.ImplementationType!));
}
