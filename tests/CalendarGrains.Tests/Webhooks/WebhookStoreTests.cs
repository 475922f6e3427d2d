using CalendarGrains.Indexing;
using CalendarGrains.Tests.Infrastructure;
using CalendarGrains.Webhooks;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using StackExchange.Redis;

namespace CalendarGrains.Tests.Webhooks;

/// <summary>The promises of <see cref="IWebhookStore"/>, held by both stores alike.</summary>
public abstract class WebhookStoreTests
{
    protected static readonly DateTimeOffset Start = new(2026, 11, 24, 9, 0, 0, TimeSpan.Zero);

    protected static readonly TimeSpan Remember = TimeSpan.FromHours(72);

    protected string Tenant { get; } = "ten_" + Guid.NewGuid().ToString("N");

    protected abstract IWebhookStore Store { get; }

    [Fact]
    public async Task Add_AnIdPendingOrFinished_IsRefusedUntilItIsForgotten()
    {
        Assert.True(await Store.AddAsync(Tenant, Pending("a", 0), [], Start, Remember));
        Assert.False(await Store.AddAsync(Tenant, Pending("a", 1), [], Start, Remember));

        Assert.Equal(1, await Store.CompleteAsync(Tenant, [Delivered("a")], Start, Remember, lastError: null));

        Assert.False(await Store.AddAsync(Tenant, Pending("a", 2), [], Start + Remember - TimeSpan.FromSeconds(1), Remember));
        Assert.True(await Store.AddAsync(Tenant, Pending("a", 3), [], Start + Remember, Remember));
        var stored = await Store.LoadAsync(Tenant);
        Assert.Equal(3, Assert.Single(stored.Pending).Sequence);
    }

    [Fact]
    public async Task Add_WithOverflow_DropsThoseStillPending_CountsAndRemembersThem()
    {
        await Store.AddAsync(Tenant, Pending("old", 0), [], Start, Remember);

        Assert.True(await Store.AddAsync(Tenant, Pending("new", 1), [Dropped("old"), Dropped("already-gone")], Start, Remember));

        var stored = await Store.LoadAsync(Tenant);
        Assert.Equal(["new"], stored.Pending.Select(p => p.EventId));
        Assert.Equal(1, stored.Dropped);
        Assert.Equal(["old"], stored.Recent.Select(d => d.EventId));
        Assert.False(await Store.AddAsync(Tenant, Pending("old", 2), [], Start, Remember));
    }

    [Fact]
    public async Task Add_ADuplicate_DropsNothing()
    {
        await Store.AddAsync(Tenant, Pending("old", 0), [], Start, Remember);
        await Store.AddAsync(Tenant, Pending("dup", 1), [], Start, Remember);

        Assert.False(await Store.AddAsync(Tenant, Pending("dup", 2), [Dropped("old")], Start, Remember));

        Assert.Equal(["dup", "old"], (await Store.LoadAsync(Tenant)).Pending.Select(p => p.EventId).Order());
    }

    [Fact]
    public async Task Refuse_CountsADropOnce_AndRemembersTheId()
    {
        Assert.True(await Store.RefuseAsync(Tenant, Dropped("x"), Start, Remember));
        Assert.False(await Store.RefuseAsync(Tenant, Dropped("x"), Start, Remember));
        Assert.False(await Store.AddAsync(Tenant, Pending("x", 0), [], Start, Remember));

        var stored = await Store.LoadAsync(Tenant);
        Assert.Empty(stored.Pending);
        Assert.Equal((0L, 1L), (stored.Delivered, stored.Dropped));
    }

    [Fact]
    public async Task Update_ReplacesAPendingRecord_ButNeverBringsBackAFinishedOne()
    {
        await Store.AddAsync(Tenant, Pending("a", 0), [], Start, Remember);
        await Store.AddAsync(Tenant, Pending("b", 1), [], Start, Remember);
        await Store.CompleteAsync(Tenant, [Delivered("b")], Start, Remember, lastError: null);

        await Store.UpdateAsync(Tenant, Pending("a", 0) with { Attempts = 2, LastError = "http_503", LastStatusCode = 503 }, "http_503");
        await Store.UpdateAsync(Tenant, Pending("b", 1) with { Attempts = 2 }, lastError: null);

        var stored = await Store.LoadAsync(Tenant);
        var a = Assert.Single(stored.Pending);
        Assert.Equal(("a", 2, "http_503", (int?)503), (a.EventId, a.Attempts, a.LastError, a.LastStatusCode));
        Assert.Equal(a.Event, Pending("a", 0).Event);
        Assert.Equal("http_503", stored.LastError);
    }

    [Fact]
    public async Task Complete_CountsDeliveredAndDropped_SkipsWhatIsNotPending_AndKeepsTheLatestOutcomes()
    {
        for (var i = 0; i < WebhookDeliveries.MaxLimit + 5; i++)
        {
            await Store.AddAsync(Tenant, Pending($"e{i}", i), [], Start, Remember);
        }

        var finished = await Store.CompleteAsync(Tenant, [Delivered("e0"), Dropped("e1"), Delivered("e0"), Delivered("never")], Start, Remember, "timeout");
        for (var i = 2; i < WebhookDeliveries.MaxLimit + 5; i++)
        {
            await Store.CompleteAsync(Tenant, [Delivered($"e{i}")], Start, Remember, lastError: null);
        }

        var stored = await Store.LoadAsync(Tenant);
        Assert.Equal(2, finished);
        Assert.Empty(stored.Pending);
        Assert.Equal((WebhookDeliveries.MaxLimit + 4L, 1L, "timeout"), (stored.Delivered, stored.Dropped, stored.LastError));
        Assert.Equal(WebhookDeliveries.MaxLimit, stored.Recent.Count);
        Assert.Equal($"e{WebhookDeliveries.MaxLimit + 4}", stored.Recent[0].EventId);
        Assert.Equal(Delivered("e10"), stored.Recent.Single(d => d.EventId == "e10"));
    }

    [Fact]
    public async Task Import_IsIdempotent_AndKeepsWhatIsAlreadyThere()
    {
        await Store.AddAsync(Tenant, Pending("kept", 5) with { Attempts = 3 }, [], Start, Remember);
        await Store.CompleteAsync(Tenant, [], Start, Remember, "http_500");

        PendingWebhook[] old = [Pending("kept", 0), Pending("moved", 1)];
        await Store.ImportAsync(Tenant, old, delivered: 7, dropped: 2, lastError: "timeout");
        await Store.ImportAsync(Tenant, old, delivered: 7, dropped: 2, lastError: "timeout");

        var stored = await Store.LoadAsync(Tenant);
        Assert.Equal([("kept", 3), ("moved", 0)], stored.Pending.OrderBy(p => p.EventId).Select(p => (p.EventId, p.Attempts)));
        Assert.Equal((7L, 2L, "http_500"), (stored.Delivered, stored.Dropped, stored.LastError));
    }

    protected static PendingWebhook Pending(string id, long sequence) =>
        new(new WebhookEvent(id, WebhookEventTypes.CallEnded, Start, "{\"callId\":\"call_1\"}"), Start, 0, Start, null, sequence);

    protected static WebhookDelivery Delivered(string id) => Pending(id, 0).Delivered(Start);

    protected static WebhookDelivery Dropped(string id) => Pending(id, 0).Dropped(Start, "queue_full");
}

public sealed class InMemoryWebhookStoreTests : WebhookStoreTests
{
    protected override IWebhookStore Store { get; } = new InMemoryWebhookStore();
}

/// <summary>On a real redis-server; also what the keys look like and that remembered ids do not outlive their time.</summary>
public sealed class RedisWebhookStoreTests(RedisServer redis) : WebhookStoreTests
{
    private readonly string _prefix = "test-" + Guid.NewGuid().ToString("N")[..12];

    protected override IWebhookStore Store => new RedisWebhookStore(new Provider(redis.Connection), _prefix, Serializers.Value);

    private static readonly Lazy<Serializer> Serializers = new(() => new ServiceCollection()
        .AddSerializer(builder => builder.AddAssembly(typeof(PendingWebhook).Assembly).AddAssembly(typeof(WebhookEvent).Assembly))
        .BuildServiceProvider()
        .GetRequiredService<Serializer>());

    [Fact]
    public async Task Keys_AreOneHashFieldPerPendingEvent_AndTheFinishedIdsExpireWithTheirTime()
    {
        var database = redis.Connection.GetDatabase();
        await Store.AddAsync(Tenant, Pending("a", 0), [], Start, Remember);
        await Store.AddAsync(Tenant, Pending("b", 1), [], Start, Remember);
        var root = $"{_prefix}/webhooks/{{{Tenant}}}/";
        Assert.Equal(2, await database.HashLengthAsync(root + "pending"));

        await Store.CompleteAsync(Tenant, [Delivered("a")], Start, TimeSpan.FromSeconds(30), lastError: null);

        Assert.Equal(["b"], (await database.HashKeysAsync(root + "pending")).Select(k => k.ToString()));
        Assert.Equal(["a"], (await database.SortedSetRangeByRankAsync(root + "finished")).Select(k => k.ToString()));
        var ttl = await database.KeyTimeToLiveAsync(root + "finished");
        Assert.True(ttl > TimeSpan.Zero && ttl <= TimeSpan.FromSeconds(30), $"the remembered ids expire with their time (TTL {ttl})");
        Assert.Null(await database.KeyTimeToLiveAsync(root + "pending"));
    }

    private sealed class Provider(ConnectionMultiplexer connection) : IRedisDatabaseProvider
    {
        public Task<IDatabase> GetDatabaseAsync() => Task.FromResult(connection.GetDatabase());
    }
}
