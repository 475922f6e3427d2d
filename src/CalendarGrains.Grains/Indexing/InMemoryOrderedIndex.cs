namespace CalendarGrains.Indexing;

/// <summary>The sandbox's index: one process, nothing survives a restart (as the sandbox says).</summary>
public sealed class InMemoryOrderedIndex : IOrderedIndex
{
    private readonly Dictionary<string, SortedSet<string>> _sets = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    public Task AddAsync(string set, string member)
    {
        lock (_gate)
        {
            SetFor(set).Add(member);
        }

        return Task.CompletedTask;
    }

    public Task RemoveAsync(string set, string member)
    {
        lock (_gate)
        {
            SetFor(set).Remove(member);
        }

        return Task.CompletedTask;
    }

    public Task MoveAsync(string fromSet, string toSet, string member)
    {
        lock (_gate)
        {
            SetFor(fromSet).Remove(member);
            SetFor(toSet).Add(member);
        }

        return Task.CompletedTask;
    }

    public Task EnsureMembershipAsync(string member, IReadOnlyCollection<string> memberOf, IReadOnlyCollection<string> notMemberOf)
    {
        lock (_gate)
        {
            foreach (var set in memberOf)
            {
                SetFor(set).Add(member);
            }

            foreach (var set in notMemberOf)
            {
                SetFor(set).Remove(member);
            }
        }

        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<string>> PageAsync(string set, string? after, int limit)
    {
        lock (_gate)
        {
            var members = SetFor(set);
            IEnumerable<string> tail = members;
            if (after is not null)
            {
                if (members.Count == 0 || string.CompareOrdinal(after, members.Max) >= 0)
                {
                    return Task.FromResult<IReadOnlyList<string>>([]);
                }

                tail = members.GetViewBetween(after, members.Max!).SkipWhile(m => string.Equals(m, after, StringComparison.Ordinal));
            }

            return Task.FromResult<IReadOnlyList<string>>(tail.Take(limit).ToList());
        }
    }

    public Task<IReadOnlyList<string>> PageFromAsync(string set, string from, int limit)
    {
        lock (_gate)
        {
            var members = SetFor(set);
            if (members.Count == 0 || string.CompareOrdinal(from, members.Max) > 0)
            {
                return Task.FromResult<IReadOnlyList<string>>([]);
            }

            return Task.FromResult<IReadOnlyList<string>>(members.GetViewBetween(from, members.Max!).Take(limit).ToList());
        }
    }

    public Task<IReadOnlyList<string>> PageBackwardAsync(string set, string? before, int limit)
    {
        lock (_gate)
        {
            var members = SetFor(set);
            if (members.Count == 0 || (before is not null && string.CompareOrdinal(before, members.Min) <= 0))
            {
                return Task.FromResult<IReadOnlyList<string>>([]);
            }

            // SortedSet's own Reverse walks the tree backwards: no copy of the set.
            var head = before is null ? members : members.GetViewBetween(members.Min!, before);
            return Task.FromResult<IReadOnlyList<string>>(head.Reverse()
                .SkipWhile(m => string.Equals(m, before, StringComparison.Ordinal))
                .Take(limit)
                .ToList());
        }
    }

    public Task<long> CountAsync(string set)
    {
        lock (_gate)
        {
            return Task.FromResult((long)SetFor(set).Count);
        }
    }

    private SortedSet<string> SetFor(string set)
    {
        if (!_sets.TryGetValue(set, out var members))
        {
            members = new SortedSet<string>(StringComparer.Ordinal);
            _sets[set] = members;
        }

        return members;
    }
}
