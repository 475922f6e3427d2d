using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CalendarGrains.Calls;
using CalendarGrains.Sandbox;
using CalendarGrains.Sandbox.Google;
using CalendarGrains.Silo.Operations;
using CalendarGrains.Silo.Tenants;
using CalendarGrains.Tests.Cluster;
using CalendarGrains.Sandbox.Vapi;
using CalendarGrains.Tests.Calls;
using CalendarGrains.Tests.Connections;
using CalendarGrains.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace CalendarGrains.Tests.Operations;

/// <summary>
/// A healthy run logs no warning and no failure: noise in the logs hides the real problems. One
/// sandbox session as a newcomer runs it (connect, token, a call to its end), then a SIGTERM-style
/// stop with a drain while a load balancer polls readiness.
/// </summary>
public sealed class QuietLogTests(RedisServer redis)
{
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;

    [Fact]
    public async Task SandboxSession_FromStartToDrainedStop_LogsNoWarningOrFailure()
    {
        var host = await ServiceHost.StartAsync(new Dictionary<string, string?> { ["Shutdown:DrainSeconds"] = "1" });
        try
        {
            using var kit = await ConnectionKit.CreateAsync(host);
            var connectionId = await kit.ConnectAsync("quiet-user", "quiet@example.com");
            Assert.Equal(HttpStatusCode.OK, (await kit.Api.PostAsync($"/v1/connections/{connectionId}/token", null, _ct)).StatusCode);

            var vapi = host.Services.GetRequiredService<VapiEmulator>();
            vapi.Use(EmulatorSettings.Fast);
            using var calls = await CallScenario.StartAsync(host, vapi);
            var call = await calls.PlaceAcceptedAsync();
            await calls.WaitForStatusAsync(call.Id, CallStatus.Ended);

            var stopping = host.App.StopAsync(CancellationToken.None);
            await Eventually.HoldsAsync(
                async () => (await host.Http.GetAsync("/health/ready", _ct)).StatusCode == HttpStatusCode.ServiceUnavailable,
                TimeSpan.FromSeconds(10),
                "readiness answers 503 while the silo drains");
            await stopping;
        }
        finally
        {
            await host.DisposeAsync();
        }

        var loud = QuietLog.Loud(host.Logs);
        Assert.True(loud.Count == 0, $"{loud.Count} warnings or failures:\n{string.Join('\n', loud)}");
        // Not a warning, but one line per emulator request with a provider's Bearer token hid the rest.
        Assert.DoesNotContain(host.Logs.Lines, line => line.Contains("was not authenticated", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RedisCluster_TwoSiloProcesses_SessionAndGracefulStops_LogNoWarningOrFailure()
    {
        var (emulators, emulatorUrl) = await EmulatorHost.StartOnFreePortAsync(_ct);
        await using var _ = emulators;
        var settings = ServiceHost.InRedisMode(redis);
        EmulatedProviders.PointAt(settings, emulatorUrl);
        settings["Shutdown:DrainSeconds"] = "1";
        var ports = Enumerable.Range(0, 6).Select(_ => FreePort.Next()).ToArray();
        await using var a = await SiloProcess.StartAsync(settings, ports[0], ports[1], ports[2]);
        await using var b = await SiloProcess.StartAsync(settings, ports[3], ports[4], ports[5]);
        await Eventually.HoldsAsync(
            () => b.Http.GetFromJsonAsync<ClusterApi.ClusterView>("/v1/cluster", _ct)!,
            view => view!.Silos.Count(s => s.Status == "active") == 2,
            TimeSpan.FromSeconds(60),
            "both silos are active");

        var client = EmulatedProviders.RegisterClient(emulators.Services.GetRequiredService<GoogleEmulator>(), "quiet-cluster");
        var tenant = await CreateTenantAsync(a, client);
        using var apiA = TenantClient(a, tenant.ApiKey);
        using var apiB = TenantClient(b, tenant.ApiKey);
        var connections = await EmulatedProviders.ImportConnectionsAsync(emulatorUrl, client, [apiA, apiB], "quiet", 4, _ct);
        foreach (var (connection, api) in connections.SelectMany(id => new[] { (id, apiA), (id, apiB) }))
        {
            Assert.Equal(HttpStatusCode.OK, (await api.PostAsync($"/v1/connections/{connection}/token", null, _ct)).StatusCode);
        }

        Assert.Equal(0, await b.StopAsync());
        Assert.Equal(0, await a.StopAsync());

        var loud = QuietLog.Loud(a.Output).Concat(QuietLog.Loud(b.Output)).ToList();
        Assert.True(loud.Count == 0, $"{loud.Count} warnings or failures:\n{string.Join('\n', loud)}\n\nsilo a:\n{a.Output}\n\nsilo b:\n{b.Output}");
    }

    [Theory]
    [InlineData("CalendarGrains.Silo")]
    public void ServiceBinaries_RunWithServerGc_AsOrleansAdvises(string program)
    {
        using var config = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, $"{program}.runtimeconfig.json")));

        Assert.True(config.RootElement.GetProperty("runtimeOptions").GetProperty("configProperties").GetProperty("System.GC.Server").GetBoolean());
    }

    private static HttpClient TenantClient(SiloProcess silo, string apiKey)
    {
        var client = new HttpClient { BaseAddress = silo.BaseUrl };
        client.DefaultRequestHeaders.Authorization = new("Bearer", apiKey);
        return client;
    }

    private async Task<TenantCreatedResponse> CreateTenantAsync(SiloProcess silo, (string ClientId, string ClientSecret) client)
    {
        var response = await silo.Http.PostAsJsonAsync("/v1/tenants", new
        {
            name = "Quiet",
            google = new { clientId = client.ClientId, clientSecret = client.ClientSecret },
            vapi = new { apiKey = "vapi-quiet", concurrencyLimit = 2 },
            allowedReturnUrls = new[] { "https://quiet.example/done" },
        }, _ct);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<TenantCreatedResponse>(_ct))!;
    }
}
