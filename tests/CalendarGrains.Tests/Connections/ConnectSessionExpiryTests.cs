using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CalendarGrains.Tests.Infrastructure;
using StackExchange.Redis;

namespace CalendarGrains.Tests.Connections;

/// <summary>With real Redis: a connect session nobody finishes leaves nothing behind once it has expired.</summary>
public sealed class ConnectSessionExpiryTests(RedisServer redis)
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan ConsentTimeout = TimeSpan.FromSeconds(2);

    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;

    [Fact]
    public async Task AnUnfinishedSession_IsGoneFromRedis_AfterItsExpiry()
    {
        var settings = ServiceHost.InRedisMode(redis);
        settings["ConnectSessions:Lifetime"] = Lifetime.ToString();
        settings["ConnectSessions:ConsentTimeout"] = ConsentTimeout.ToString();
        await using var host = await ServiceHost.StartAsync(settings);
        var tenant = await TestTenants.CreateAsync(host);
        using var api = host.Client(tenant.ApiKey);
        var created = await api.PostAsJsonAsync("/v1/connect-sessions", new { endUserId = "walks-away", returnUrl = "https://acme.example/connected" }, _ct);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var sessionId = (await created.Content.ReadFromJsonAsync<JsonElement>(_ct)).GetProperty("id").GetString()!;
        // The user opens the link (the session stores a trip to Google) and never comes back.
        Assert.Equal(HttpStatusCode.Redirect, (await host.Http.GetAsync($"/v1/connect/{sessionId}", _ct)).StatusCode);

        var key = await SessionKeyAsync(settings["Orleans:ServiceId"]!, sessionId);
        var ttl = await redis.Connection.GetDatabase().KeyTimeToLiveAsync(key);
        Assert.True(ttl > TimeSpan.Zero && ttl <= Lifetime + ConsentTimeout, $"the session's record expires with it (TTL {ttl})");

        await Eventually.HoldsAsync(async () => !await redis.Connection.GetDatabase().KeyExistsAsync(key), TimeSpan.FromSeconds(30), "Redis drops the session");
    }

    /// <summary>The session's Redis key: Orleans' storage key holds the grain key.</summary>
    private async Task<RedisKey> SessionKeyAsync(string serviceId, string sessionId)
    {
        var server = redis.Connection.GetServer(redis.Connection.GetEndPoints()[0]);
        var keys = new List<RedisKey>();
        await foreach (var key in server.KeysAsync(pattern: $"{serviceId}/*{sessionId}*"))
        {
            keys.Add(key);
        }

        return Assert.Single(keys);
    }
}
