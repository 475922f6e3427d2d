using System.Net;
using System.Net.Http.Json;
using CalendarGrains.Silo.Operations;
using CalendarGrains.Silo.Tenants;
using CalendarGrains.Tenants;
using CalendarGrains.Tests.Infrastructure;

namespace CalendarGrains.Tests.Cluster;

/// <summary>Two silo processes on one Redis form one cluster and share state across restarts.</summary>
public sealed class TwoProcessClusterTests(RedisServer redis)
{
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;

    [Fact]
    public async Task TwoProcesses_FormOneCluster_ShareTenants_AndKeepThemAcrossRestarts()
    {
        var settings = ServiceHost.InRedisMode(redis);
        var ports = Enumerable.Range(0, 6).Select(_ => FreePort.Next()).ToArray();
        string tenantId;
        string apiKey;

        await using (var a = await SiloProcess.StartAsync(settings, ports[0], ports[1], ports[2]))
        await using (var b = await SiloProcess.StartAsync(settings, ports[3], ports[4], ports[5]))
        {
            foreach (var silo in new[] { a, b })
            {
                var cluster = await Eventually.HoldsAsync(
                    () => silo.Http.GetFromJsonAsync<ClusterApi.ClusterView>("/v1/cluster", _ct)!,
                    view => view!.Silos.Count(s => s.Status == "active") == 2,
                    TimeSpan.FromSeconds(60),
                    "both silos see two active silos");
                Assert.Single(cluster!.Silos, s => s.IsThisSilo);
            }

            var response = await a.Http.PostAsJsonAsync("/v1/tenants", TestTenants.Definition(name: "Shared Across Silos"), _ct);
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
            var created = (await response.Content.ReadFromJsonAsync<TenantCreatedResponse>(_ct))!;
            (tenantId, apiKey) = (created.Id, created.ApiKey);

            var readThroughB = await b.Http.GetFromJsonAsync<TenantView>($"/v1/tenants/{tenantId}", _ct);
            Assert.Equal("Shared Across Silos", readThroughB!.Name);

            await a.StopAsync();
            await b.StopAsync();
        }

        await using var a2 = await SiloProcess.StartAsync(settings, ports[0], ports[1], ports[2]);
        await using var b2 = await SiloProcess.StartAsync(settings, ports[3], ports[4], ports[5]);
        foreach (var silo in new[] { a2, b2 })
        {
            var afterRestart = await silo.Http.GetFromJsonAsync<TenantView>($"/v1/tenants/{tenantId}", _ct);
            Assert.Equal("Shared Across Silos", afterRestart!.Name);
            using var tenantClient = new HttpClient { BaseAddress = silo.BaseUrl };
            tenantClient.DefaultRequestHeaders.Authorization = new("Bearer", apiKey);
            Assert.Equal(HttpStatusCode.OK, (await tenantClient.GetAsync($"/v1/tenants/{tenantId}", _ct)).StatusCode);
        }
    }
}
