using System.Net;
using System.Net.Http.Json;
using CalendarGrains.Silo.Operations;
using CalendarGrains.Tests.Infrastructure;

namespace CalendarGrains.Tests.Tenants;

/// <summary>A key revoked through one silo stops working on the others, whose caches held it warm.</summary>
public sealed class ApiKeyRevocationAcrossSilosTests(RedisServer redis)
{
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;

    [Fact]
    public async Task RevokingThroughOneSilo_EvictsTheWarmKeyOnTheOther()
    {
        var settings = ServiceHost.InRedisMode(redis);
        await using var a = await ServiceHost.StartAsync(settings);
        await using var b = await ServiceHost.StartAsync(settings);
        await Eventually.HoldsAsync(async () => (await a.Admin.GetFromJsonAsync<ClusterApi.ClusterView>("/v1/cluster", _ct))!.Silos.Count(s => s.Status == "active") == 2);
        var tenant = await TestTenants.CreateAsync(a);
        using var onB = b.Client(tenant.ApiKey);
        Assert.Equal(HttpStatusCode.OK, (await onB.GetAsync("/v1/tenants", _ct)).StatusCode); // warm in B's cache

        Assert.Equal(HttpStatusCode.NoContent, (await a.Admin.DeleteAsync($"/v1/tenants/{tenant.Id}/api-keys/{tenant.ApiKeyId}", _ct)).StatusCode);

        // Pub/sub is asynchronous: within moments, not minutes (the cache entry itself lives 5 minutes).
        await Eventually.HoldsAsync(async () => (await onB.GetAsync("/v1/tenants", _ct)).StatusCode == HttpStatusCode.Unauthorized,
            TimeSpan.FromSeconds(10), "silo B refuses the revoked key");
    }
}
