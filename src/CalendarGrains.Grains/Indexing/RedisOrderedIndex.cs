using StackExchange.Redis;

namespace CalendarGrains.Indexing;

/// <summary>
/// Each set is a Redis sorted set with every score 0, so members sort by their bytes and
/// <c>ZRANGE ... BYLEX</c> pages from a cursor in O(log N + page).
/// </summary>
public sealed class RedisOrderedIndex(IRedisDatabaseProvider redis, string keyPrefix) : IOrderedIndex
{
    public async Task AddAsync(string set, string member) =>
        await (await DatabaseAsync()).SortedSetAddAsync(Key(set), member, 0);

    public async Task RemoveAsync(string set, string member) =>
        await (await DatabaseAsync()).SortedSetRemoveAsync(Key(set), member);

    public async Task MoveAsync(string fromSet, string toSet, string member)
    {
        var transaction = (await DatabaseAsync()).CreateTransaction();
        _ = transaction.SortedSetRemoveAsync(Key(fromSet), member);
        _ = transaction.SortedSetAddAsync(Key(toSet), member, 0);
        await transaction.ExecuteAsync();
    }

    /// <summary>One MULTI/EXEC: every ZADD and ZREM in one round trip, applied together or not at all.</summary>
    public async Task EnsureMembershipAsync(string member, IReadOnlyCollection<string> memberOf, IReadOnlyCollection<string> notMemberOf)
    {
        var transaction = (await DatabaseAsync()).CreateTransaction();
        foreach (var set in memberOf)
        {
            _ = transaction.SortedSetAddAsync(Key(set), member, 0);
        }

        foreach (var set in notMemberOf)
        {
            _ = transaction.SortedSetRemoveAsync(Key(set), member);
        }

        if (!await transaction.ExecuteAsync())
        {
            throw new InvalidOperationException($"Redis did not apply the index change of {member}.");
        }
    }

    public async Task<IReadOnlyList<string>> PageAsync(string set, string? after, int limit)
    {
        var values = await (await DatabaseAsync()).SortedSetRangeByValueAsync(
            Key(set),
            min: after is null ? default : (RedisValue)after,
            max: default,
            exclude: after is null ? Exclude.None : Exclude.Start,
            order: Order.Ascending,
            skip: 0,
            take: limit);
        return Array.ConvertAll(values, v => v.ToString());
    }

    public async Task<IReadOnlyList<string>> PageFromAsync(string set, string from, int limit)
    {
        var values = await (await DatabaseAsync()).SortedSetRangeByValueAsync(
            Key(set), min: from, max: default, exclude: Exclude.None, order: Order.Ascending, skip: 0, take: limit);
        return Array.ConvertAll(values, v => v.ToString());
    }

    public async Task<IReadOnlyList<string>> PageBackwardAsync(string set, string? before, int limit)
    {
        var values = await (await DatabaseAsync()).SortedSetRangeByValueAsync(
            Key(set),
            min: default,
            max: before is null ? default : (RedisValue)before,
            exclude: before is null ? Exclude.None : Exclude.Stop,
            order: Order.Descending,
            skip: 0,
            take: limit);
        return Array.ConvertAll(values, v => v.ToString());
    }

    public async Task<long> CountAsync(string set) => await (await DatabaseAsync()).SortedSetLengthAsync(Key(set));

    private RedisKey Key(string set) => $"{keyPrefix}/index/{set}";

    private Task<IDatabase> DatabaseAsync() => redis.GetDatabaseAsync();
}

/// <summary>The one Redis connection of the process, shared by the indexes and the Orleans providers.</summary>
public interface IRedisDatabaseProvider
{
    Task<IDatabase> GetDatabaseAsync();
}
