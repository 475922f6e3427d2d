namespace CalendarGrains.Indexing;

/// <summary>
/// Named sets of ids kept in ordinal order, paged by "after this id". Ids are ULID-based, so the
/// order is creation order. Redis sorted sets back it in a cluster (ZRANGE BYLEX: O(log N + page)
/// however large the set), memory in the single-silo sandbox.
/// </summary>
public interface IOrderedIndex
{
    Task AddAsync(string set, string member);

    Task RemoveAsync(string set, string member);

    /// <summary>Removes <paramref name="member"/> from one set and adds it to another in one step.</summary>
    Task MoveAsync(string fromSet, string toSet, string member);

    /// <summary>Up to <paramref name="limit"/> members after <paramref name="after"/> (exclusive), in order.</summary>
    Task<IReadOnlyList<string>> PageAsync(string set, string? after, int limit);

    /// <summary>Up to <paramref name="limit"/> members from <paramref name="from"/> on (inclusive), in order: where the ids with a prefix start.</summary>
    Task<IReadOnlyList<string>> PageFromAsync(string set, string from, int limit);

    /// <summary>Up to <paramref name="limit"/> members before <paramref name="before"/> (exclusive; null: from the end), last first: the newest of ULID-ordered ids.</summary>
    Task<IReadOnlyList<string>> PageBackwardAsync(string set, string? before, int limit);

    Task<long> CountAsync(string set);

    /// <summary>
    /// Makes <paramref name="member"/> a member of every set in <paramref name="memberOf"/> and of
    /// none in <paramref name="notMemberOf"/>. Idempotent (ZADD and ZREM are), so an owner that
    /// repeats it after a failure, on its next write or activation, always converges to its state.
    /// </summary>
    /// <remarks>This fallback takes one step per set; the Redis and memory indexes do it in one atomic step.</remarks>
    async Task EnsureMembershipAsync(string member, IReadOnlyCollection<string> memberOf, IReadOnlyCollection<string> notMemberOf)
    {
        // Added before removed: a reader in between sees the member twice (lists re-check the owner), never not at all.
        foreach (var set in memberOf)
        {
            await AddAsync(set, member);
        }

        foreach (var set in notMemberOf)
        {
            await RemoveAsync(set, member);
        }
    }
}
