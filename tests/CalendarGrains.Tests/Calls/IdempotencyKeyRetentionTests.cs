using System.Net;
using CalendarGrains.Calls;
using CalendarGrains.Sandbox.Vapi;
using CalendarGrains.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;

namespace CalendarGrains.Tests.Calls;

/// <summary>
/// An <c>Idempotency-Key</c> means its call for <c>Calls:IdempotencyKeyRetention</c>, then is free
/// again, and Redis does not keep a record per key for ever.
/// </summary>
public sealed class IdempotencyKeyRetentionTests(RedisServer redis)
{
    private const string Key = "nightly-reminder-1";
    private static readonly TimeSpan Retention = TimeSpan.FromSeconds(3);

    [Fact]
    public async Task InRedis_TheClaimExpiresWithItsRetention_ThenTheKeyPlacesANewCall()
    {
        var settings = Settings(ServiceHost.InRedisMode(redis));
        await using var host = await ServiceHost.StartAsync(settings, CallsHostFixture.FastReminders);
        using var scenario = await StartScenarioAsync(host);
        var first = await PlaceWithinRetentionAsync(scenario);

        // Redis holds the claim with the retention as its expiry, and drops it when that ends.
        var claim = await ClaimKeyAsync(settings["Orleans:ServiceId"]!, scenario.Tenant.Id);
        var ttl = await redis.Connection.GetDatabase().KeyTimeToLiveAsync(claim);
        Assert.True(ttl > TimeSpan.Zero && ttl <= Retention, $"the claim expires within the retention (TTL {ttl})");
        await Eventually.HoldsAsync(async () => !await redis.Connection.GetDatabase().KeyExistsAsync(claim), TimeSpan.FromSeconds(30), "Redis drops the claim");

        // The key's grain may still be active with the old claim in memory: the key is free all the same.
        await AssertANewCallAsync(scenario, first, await PlaceAnotherAsync(scenario));
    }

    [Fact]
    public async Task InTheSandbox_AClaimOlderThanItsRetention_IsFree()
    {
        await using var host = await ServiceHost.StartAsync(Settings([]), CallsHostFixture.FastReminders);
        using var scenario = await StartScenarioAsync(host);
        var first = await PlaceWithinRetentionAsync(scenario);

        var placed = await Eventually.HoldsAsync(
            () => PlaceAnotherAsync(scenario), answer => answer.Response.StatusCode != HttpStatusCode.Conflict,
            TimeSpan.FromSeconds(30), "the key is free once its retention is over");
        await AssertANewCallAsync(scenario, first, placed);
    }

    private static Dictionary<string, string?> Settings(Dictionary<string, string?> mode)
    {
        var settings = CallsHostFixture.FastCalls();
        foreach (var (key, value) in mode)
        {
            settings[key] = value;
        }

        settings["Sandbox:Enabled"] = "true"; // the Vapi emulator in the same process, in Redis mode too
        settings["Calls:IdempotencyKeyRetention"] = Retention.ToString();
        return settings;
    }

    private static async Task<CallScenario> StartScenarioAsync(ServiceHost host)
    {
        var vapi = host.Services.GetRequiredService<VapiEmulator>();
        vapi.Use(EmulatorSettings.Manual);
        return await CallScenario.StartAsync(host, vapi);
    }

    /// <summary>Places the first call with <see cref="Key"/>; at once, the same key and body mean that call, another body is a conflict.</summary>
    private static async Task<CallResource> PlaceWithinRetentionAsync(CallScenario scenario)
    {
        var first = await scenario.PlaceAcceptedAsync(scenario.Body("+15550100"), Key);
        var (again, call) = await scenario.PlaceAsync(scenario.Body("+15550100"), Key);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(first.Id, call!.Id);
        Assert.Equal(HttpStatusCode.Conflict, (await PlaceAnotherAsync(scenario)).Response.StatusCode);
        return first;
    }

    /// <summary>The key with another customer than the first call's.</summary>
    private static Task<(HttpResponseMessage Response, CallResource? Call)> PlaceAnotherAsync(CallScenario scenario) =>
        scenario.PlaceAsync(scenario.Body("+15550199"), Key);

    /// <summary>Once the retention is over, the key with another body placed a new call; the first call is still there.</summary>
    private static async Task AssertANewCallAsync(CallScenario scenario, CallResource first, (HttpResponseMessage Response, CallResource? Call) placed)
    {
        Assert.Equal(HttpStatusCode.Accepted, placed.Response.StatusCode);
        Assert.NotEqual(first.Id, placed.Call!.Id);
        Assert.Equal("+15550100", (await scenario.GetAsync(first.Id)).Customer.Number);
        await Eventually.HoldsAsync(() => Task.FromResult(scenario.CreatedCalls().Count == 2), TimeSpan.FromSeconds(20), "Vapi is asked for both calls");
    }

    /// <summary>The claim's Redis key: Orleans' storage key holds the grain key.</summary>
    private async Task<RedisKey> ClaimKeyAsync(string serviceId, string tenantId)
    {
        var server = redis.Connection.GetServer(redis.Connection.GetEndPoints()[0]);
        var keys = new List<RedisKey>();
        await foreach (var key in server.KeysAsync(pattern: $"{serviceId}/state/*{IdempotencyKeys.GrainKey(tenantId, Key)}*"))
        {
            keys.Add(key);
        }

        return Assert.Single(keys);
    }
}
