using System.Globalization;
using CalendarGrains.Indexing;
using Orleans.Serialization;
using StackExchange.Redis;

namespace CalendarGrains.Webhooks;

/// <summary>
/// Four keys per tenant, under <c>{serviceId}/webhooks/{tenantId}/</c> (the tenant id in braces, so
/// a Redis Cluster keeps them in one slot): <c>pending</c>, a hash of event id to its record;
/// <c>finished</c>, a sorted set of the ids of finished events scored by when they are forgotten;
/// <c>counters</c>, a hash (<c>delivered</c>, <c>dropped</c>, <c>lastError</c>); <c>recent</c>, a
/// list of the latest outcomes, capped. Each method is one Lua script, so each is atomic, and
/// recording a delivery writes one small record's worth of bytes however many events are pending.
/// Records use the Orleans binary format, as grain state does ([Id]s keep them readable across versions).
/// </summary>
public sealed class RedisWebhookStore(IRedisDatabaseProvider redis, string keyPrefix, Serializer serializer) : IWebhookStore
{
    private const string Delivered = "delivered";
    private const string Dropped = "dropped";
    private const string LastError = "lastError";

    /// <summary>KEYS: pending, finished, counters, recent. ARGV: id, record, now, forget-at, ttl, cap, then (id, outcome) per overflow event.</summary>
    private const string AddScript =
        """
        redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', ARGV[3])
        if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 1 or redis.call('ZSCORE', KEYS[2], ARGV[1]) then
          return 0
        end
        local dropped = 0
        for i = 7, #ARGV, 2 do
          if redis.call('HDEL', KEYS[1], ARGV[i]) == 1 then
            dropped = dropped + 1
            redis.call('ZADD', KEYS[2], ARGV[4], ARGV[i])
            redis.call('LPUSH', KEYS[4], ARGV[i + 1])
          end
        end
        if dropped > 0 then
          redis.call('HINCRBY', KEYS[3], 'dropped', dropped)
          redis.call('LTRIM', KEYS[4], 0, tonumber(ARGV[6]) - 1)
          redis.call('PEXPIRE', KEYS[2], ARGV[5])
        end
        redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
        return 1
        """;

    /// <summary>KEYS: pending, finished, counters, recent. ARGV: id, outcome, now, forget-at, ttl, cap.</summary>
    private const string RefuseScript =
        """
        redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', ARGV[3])
        if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 1 or redis.call('ZSCORE', KEYS[2], ARGV[1]) then
          return 0
        end
        redis.call('ZADD', KEYS[2], ARGV[4], ARGV[1])
        redis.call('PEXPIRE', KEYS[2], ARGV[5])
        redis.call('HINCRBY', KEYS[3], 'dropped', 1)
        redis.call('LPUSH', KEYS[4], ARGV[2])
        redis.call('LTRIM', KEYS[4], 0, tonumber(ARGV[6]) - 1)
        return 1
        """;

    /// <summary>KEYS: pending, counters. ARGV: id, record, last error ('' for none).</summary>
    private const string UpdateScript =
        """
        if ARGV[3] ~= '' then
          redis.call('HSET', KEYS[2], 'lastError', ARGV[3])
        end
        if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 0 then
          return 0
        end
        redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
        return 1
        """;

    /// <summary>KEYS: pending, finished, counters, recent. ARGV: forget-at, ttl, cap, last error ('' for none), then (id, counter, outcome) per event.</summary>
    private const string CompleteScript =
        """
        if ARGV[4] ~= '' then
          redis.call('HSET', KEYS[3], 'lastError', ARGV[4])
        end
        local finished = 0
        for i = 5, #ARGV, 3 do
          if redis.call('HDEL', KEYS[1], ARGV[i]) == 1 then
            finished = finished + 1
            redis.call('ZADD', KEYS[2], ARGV[1], ARGV[i])
            redis.call('HINCRBY', KEYS[3], ARGV[i + 1], 1)
            redis.call('LPUSH', KEYS[4], ARGV[i + 2])
          end
        end
        if finished > 0 then
          redis.call('LTRIM', KEYS[4], 0, tonumber(ARGV[3]) - 1)
          redis.call('PEXPIRE', KEYS[2], ARGV[2])
        end
        return finished
        """;

    /// <summary>KEYS: pending, counters. ARGV: delivered, dropped, last error ('' for none), then (id, record) per event.</summary>
    private const string ImportScript =
        """
        redis.call('HSETNX', KEYS[2], 'delivered', ARGV[1])
        redis.call('HSETNX', KEYS[2], 'dropped', ARGV[2])
        if ARGV[3] ~= '' then
          redis.call('HSETNX', KEYS[2], 'lastError', ARGV[3])
        end
        for i = 4, #ARGV, 2 do
          redis.call('HSETNX', KEYS[1], ARGV[i], ARGV[i + 1])
        end
        return 0
        """;

    private static readonly RedisValue Cap = WebhookDeliveries.MaxLimit;

    public async Task<WebhookStoreSnapshot> LoadAsync(string tenantId)
    {
        var keys = new Keys(keyPrefix, tenantId);
        var batch = (await DatabaseAsync()).CreateTransaction();
        var pending = batch.HashValuesAsync(keys.Pending);
        var counters = batch.HashGetAsync(keys.Counters, [Delivered, Dropped, LastError]);
        var recent = batch.ListRangeAsync(keys.Recent, 0, WebhookDeliveries.MaxLimit - 1);
        await batch.ExecuteAsync();
        var values = await counters;
        return new WebhookStoreSnapshot(
            [.. (await pending).Select(value => serializer.Deserialize<PendingWebhook>((byte[])value!)!)],
            values[0].IsNull ? 0 : (long)values[0],
            values[1].IsNull ? 0 : (long)values[1],
            values[2].IsNull ? null : values[2].ToString(),
            [.. (await recent).Select(value => serializer.Deserialize<WebhookDelivery>((byte[])value!)!)]);
    }

    public async Task<bool> AddAsync(string tenantId, PendingWebhook pending, IReadOnlyList<WebhookDelivery> overflow, DateTimeOffset now, TimeSpan remember)
    {
        var arguments = new List<RedisValue>(6 + (2 * overflow.Count))
        {
            pending.EventId, serializer.SerializeToArray(pending), Millis(now), Millis(now + remember), Millis(remember), Cap,
        };
        foreach (var dropped in overflow)
        {
            arguments.Add(dropped.EventId);
            arguments.Add(serializer.SerializeToArray(dropped));
        }

        return (int)await EvaluateAsync(AddScript, new Keys(keyPrefix, tenantId).All, [.. arguments]) == 1;
    }

    public async Task<bool> RefuseAsync(string tenantId, WebhookDelivery outcome, DateTimeOffset now, TimeSpan remember) =>
        (int)await EvaluateAsync(RefuseScript, new Keys(keyPrefix, tenantId).All,
            [outcome.EventId, serializer.SerializeToArray(outcome), Millis(now), Millis(now + remember), Millis(remember), Cap]) == 1;

    public async Task UpdateAsync(string tenantId, PendingWebhook pending, string? lastError)
    {
        var keys = new Keys(keyPrefix, tenantId);
        await EvaluateAsync(UpdateScript, [keys.Pending, keys.Counters], [pending.EventId, serializer.SerializeToArray(pending), lastError ?? ""]);
    }

    public async Task<int> CompleteAsync(string tenantId, IReadOnlyList<WebhookDelivery> outcomes, DateTimeOffset now, TimeSpan remember, string? lastError)
    {
        if (outcomes.Count == 0 && lastError is null)
        {
            return 0;
        }

        var arguments = new List<RedisValue>(4 + (3 * outcomes.Count)) { Millis(now + remember), Millis(remember), Cap, lastError ?? "" };
        foreach (var outcome in outcomes)
        {
            arguments.Add(outcome.EventId);
            arguments.Add(outcome.Status == WebhookDeliveryStatus.Delivered ? Delivered : Dropped);
            arguments.Add(serializer.SerializeToArray(outcome));
        }

        return (int)await EvaluateAsync(CompleteScript, new Keys(keyPrefix, tenantId).All, [.. arguments]);
    }

    public async Task ImportAsync(string tenantId, IReadOnlyList<PendingWebhook> pending, long delivered, long dropped, string? lastError)
    {
        var keys = new Keys(keyPrefix, tenantId);
        var arguments = new List<RedisValue>(3 + (2 * pending.Count)) { delivered, dropped, lastError ?? "" };
        foreach (var each in pending)
        {
            arguments.Add(each.EventId);
            arguments.Add(serializer.SerializeToArray(each));
        }

        await EvaluateAsync(ImportScript, [keys.Pending, keys.Counters], [.. arguments]);
    }

    /// <summary>Milliseconds since the Unix epoch (a time) or in all (a duration), as Redis scores and expiries take them.</summary>
    private static RedisValue Millis(DateTimeOffset time) => time.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);

    private static RedisValue Millis(TimeSpan duration) => ((long)Math.Ceiling(duration.TotalMilliseconds)).ToString(CultureInfo.InvariantCulture);

    private async Task<RedisResult> EvaluateAsync(string script, RedisKey[] keys, RedisValue[] arguments) =>
        // Note: the library sends a script's SHA1 (EVALSHA) once Redis has seen it, not its text.
        await (await DatabaseAsync()).ScriptEvaluateAsync(script, keys, arguments);

    private Task<IDatabase> DatabaseAsync() => redis.GetDatabaseAsync();

    private readonly struct Keys(string prefix, string tenantId)
    {
        private readonly string _root = $"{prefix}/webhooks/{{{tenantId}}}/";

        public RedisKey Pending => _root + "pending";

        public RedisKey Finished => _root + "finished";

        public RedisKey Counters => _root + "counters";

        public RedisKey Recent => _root + "recent";

        public RedisKey[] All => [Pending, Finished, Counters, Recent];
    }
}
