using CalendarGrains.ApiKeys;
using CalendarGrains.Silo.Hosting;
using StackExchange.Redis;

namespace CalendarGrains.Silo.Auth;

/// <summary>
/// Redis pub/sub between the silos of a cluster. Pub/sub is fire-and-forget: a message lost while
/// a silo is disconnected is covered by the cache entries' short lifetime.
/// </summary>
public sealed class RedisApiKeyRevocationBus(SharedRedis redis, string serviceId) : IApiKeyRevocationBus
{
    private readonly RedisChannel _channel = RedisChannel.Literal($"{serviceId}/apikeys/revoked");

    public async Task PublishAsync(string keyHash) =>
        await (await redis.ConnectAsync()).GetSubscriber().PublishAsync(_channel, keyHash);

    public void Subscribe(Action<string> onRevoked) => _ = SubscribeAsync(onRevoked);

    private async Task SubscribeAsync(Action<string> onRevoked)
    {
        var subscriber = (await redis.ConnectAsync()).GetSubscriber();
        await subscriber.SubscribeAsync(_channel, (_, message) => onRevoked(message.ToString()));
    }
}
