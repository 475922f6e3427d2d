using System.Net;
using CalendarGrains.Tests.Infrastructure;

namespace CalendarGrains.Tests.Security;

/// <summary>
/// Issue 17.5: while Redis is unreachable, a request that needs storage answers 503 problem+json
/// (<c>storage_unavailable</c>) with Retry-After, not 500, and readiness turns red; both recover
/// when Redis is back. A real redis-server, killed and started again.
/// </summary>
public sealed class RedisOutageTests(RedisServer sharedRedis)
{
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;

    [Fact]
    public async Task RedisDown_StorageRequestsAre503_ReadinessIsRed_AndBothRecoverWhenItIsBack()
    {
        await using var redis = await RestartableRedis.StartNewAsync();
        var settings = ServiceHost.InRedisMode(sharedRedis);
        settings["Redis:ConnectionString"] = redis.ConnectionString;
        await using var host = await ServiceHost.StartAsync(settings);
        await Eventually.HoldsAsync(async () => (await host.Http.GetAsync("/health/ready", _ct)).StatusCode == HttpStatusCode.OK, because: "the silo is ready");
        await TestTenants.CreateAsync(host);

        await redis.KillAsync();

        await Eventually.HoldsAsync(async () => (await host.Http.GetAsync("/health/ready", _ct)).StatusCode == HttpStatusCode.ServiceUnavailable,
            TimeSpan.FromSeconds(30), "readiness turns red while Redis is down");
        Assert.Equal(HttpStatusCode.OK, (await host.Http.GetAsync("/health/live", _ct)).StatusCode);
        var write = await host.Admin.PostAsync("/v1/tenants", System.Net.Http.Json.JsonContent.Create(TestTenants.Definition()), _ct);
        await ProblemAssert.IsProblemAsync(write, HttpStatusCode.ServiceUnavailable, "storage_unavailable");
        Assert.True(write.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1), $"Retry-After: {write.Headers.RetryAfter}");

        await redis.StartAsync();

        await Eventually.HoldsAsync(async () => (await host.Http.GetAsync("/health/ready", _ct)).StatusCode == HttpStatusCode.OK,
            TimeSpan.FromSeconds(60), "readiness turns green again once Redis is back");
        await TestTenants.CreateAsync(host);
    }
}
