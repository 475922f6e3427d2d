using CalendarGrains.Indexing;
using CalendarGrains.Silo.Hosting;
using CalendarGrains.Tests.Infrastructure;

namespace CalendarGrains.Tests.Storage;

/// <summary>Paging from an id prefix and backwards from the end, in both indexes (memory and Redis), alike.</summary>
public sealed class OrderedIndexPagingTests(RedisServer redis) : IAsyncDisposable
{
    private static readonly string[] Members = ["a-1", "a-2", "a-3", "b-1", "b-2", "c-1"];

    private readonly SharedRedis _shared = new(redis.ConnectionString);

    public static TheoryData<string> Kinds => ["memory", "redis"];

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task PageFromAsync_StartsAtTheFirstMemberNotBefore_Inclusive(string kind)
    {
        var (index, set) = await FilledAsync(kind);

        Assert.Equal(["b-1", "b-2"], await index.PageFromAsync(set, "b-", 2));
        Assert.Equal(["b-1", "b-2", "c-1"], await index.PageFromAsync(set, "b-1", 10));
        Assert.Equal(["a-1"], await index.PageFromAsync(set, "", 1));
        Assert.Empty(await index.PageFromAsync(set, "d", 10));
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task PageBackwardAsync_WalksFromTheEnd_ExclusiveOfItsCursor(string kind)
    {
        var (index, set) = await FilledAsync(kind);

        Assert.Equal(["c-1", "b-2"], await index.PageBackwardAsync(set, null, 2));
        Assert.Equal(["b-1", "a-3", "a-2"], await index.PageBackwardAsync(set, "b-2", 3));
        Assert.Equal(["a-1"], await index.PageBackwardAsync(set, "a-2", 10));
        Assert.Empty(await index.PageBackwardAsync(set, "a-1", 10));
        Assert.Empty(await index.PageBackwardAsync("empty-" + Guid.NewGuid().ToString("N"), null, 10));
    }

    private async Task<(IOrderedIndex Index, string Set)> FilledAsync(string kind)
    {
        IOrderedIndex index = kind == "redis" ? new RedisOrderedIndex(_shared, "test-" + Guid.NewGuid().ToString("N")[..12]) : new InMemoryOrderedIndex();
        var set = "paging-" + Guid.NewGuid().ToString("N");
        foreach (var member in Members.Reverse())
        {
            await index.AddAsync(set, member);
        }

        return (index, set);
    }

    public async ValueTask DisposeAsync() => await _shared.DisposeAsync();
}
