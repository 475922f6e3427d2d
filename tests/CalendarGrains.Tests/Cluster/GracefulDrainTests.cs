using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CalendarGrains.Sandbox;
using CalendarGrains.Sandbox.Google;
using CalendarGrains.Silo.Operations;
using CalendarGrains.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace CalendarGrains.Tests.Cluster;

/// <summary>
/// Two silo processes on Redis under a steady load of token requests; one gets SIGTERM, as a
/// rolling update sends it. A load balancer that polls readiness stops sending to it once it
/// answers 503, and not one request may fail: not those the draining silo still takes, not those
/// in flight when it stops, and not those the other silo sends to grains that lived on it.
/// </summary>
[Trait("Category", "Cluster")]
public sealed class GracefulDrainTests(RedisServer redis) : IAsyncLifetime
{
    private const int Workers = 6;
    private const int ConnectionCount = 24;

    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;
    private WebApplication _emulators = null!;
    private Uri _emulatorUrl = null!;

    public async ValueTask InitializeAsync() => (_emulators, _emulatorUrl) = await EmulatorHost.StartOnFreePortAsync(_ct);

    public async ValueTask DisposeAsync() => await _emulators.DisposeAsync();

    [Fact]
    public async Task ASiloStoppedUnderLoad_DrainsWithoutFailingARequest()
    {
        var settings = ServiceHost.InRedisMode(redis);
        EmulatedProviders.PointAt(settings, _emulatorUrl);
        settings["Shutdown:DrainSeconds"] = "2";
        settings["Logging:LogLevel:Default"] = "Warning";
        var ports = Enumerable.Range(0, 6).Select(_ => FreePort.Next()).ToArray();
        await using var staying = await SiloProcess.StartAsync(settings, ports[0], ports[1], ports[2]);
        await using var leaving = await SiloProcess.StartAsync(settings, ports[3], ports[4], ports[5]);
        await Eventually.HoldsAsync(
            async () => (await staying.Http.GetFromJsonAsync<ClusterApi.ClusterView>("/v1/cluster", _ct))!.Silos.Count(s => s.Status == "active") == 2,
            TimeSpan.FromSeconds(60), "two active silos");

        var (apiKey, client) = await CreateTenantAsync(staying);
        using var toStaying = Client(staying.BaseUrl, apiKey);
        using var toLeaving = Client(leaving.BaseUrl, apiKey);

        // Imported through both silos, so about half the connection grains live on the one that leaves.
        var connectionIds = await EmulatedProviders.ImportConnectionsAsync(_emulatorUrl, client, [toStaying, toLeaving], "drain-conn", ConnectionCount, _ct);
        var hostedOnLeaving = await ConnectionActivationsAsync(leaving);
        Assert.True(hostedOnLeaving > 0, "the silo to be stopped hosts some connection grains, so the test shows their hand-off");

        var balancer = new ReadinessBalancer(leaving);
        var results = new ConcurrentQueue<Result>();
        using var stopLoad = new CancellationTokenSource();
        var load = Enumerable.Range(0, Workers)
            .Select(worker => LoadAsync(worker, connectionIds, toStaying, toLeaving, balancer, results, stopLoad.Token)).ToList();
        var probing = balancer.ProbeAsync(stopLoad.Token);

        await Eventually.HoldsAsync(() => Task.FromResult(results.Count(r => r.Silo == "leaving") >= 50), TimeSpan.FromSeconds(30), "load reaches both silos");
        balancer.Stopping = true;
        var exitCode = await leaving.StopAsync();
        var servedWhenItExited = results.Count;

        // Requests go on for a while on the silo that stays, reaching the grains that were handed off.
        await Eventually.HoldsAsync(() => Task.FromResult(results.Count >= servedWhenItExited + 300), TimeSpan.FromSeconds(30), "load goes on after the silo left");
        await stopLoad.CancelAsync();
        await Task.WhenAll(load);
        await probing;

        var failures = results.Where(r => r.Failure is not null).ToList();
        Assert.True(failures.Count == 0,
            $"{failures.Count} of {results.Count} requests failed, e.g.: {string.Join("; ", failures.Take(5).Select(f => $"{f.Silo}: {f.Failure}"))}");
        Assert.Equal(0, exitCode);
        Assert.True(balancer.SawDraining, "the leaving silo's readiness turned 503 before it went away");
        Assert.True(results.Any(r => r.Silo == "leaving" && r.WhileDraining), "the leaving silo still served while it drained");
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"{results.Count} token requests, none failed; {results.Count(r => r.Silo == "leaving")} served by the silo that left " +
            $"({results.Count(r => r.Silo == "leaving" && r.WhileDraining)} of them after SIGTERM); {hostedOnLeaving} connection grains handed off");
    }

    private async Task<(string ApiKey, (string ClientId, string ClientSecret) Client)> CreateTenantAsync(SiloProcess silo)
    {
        var client = EmulatedProviders.RegisterClient(_emulators.Services.GetRequiredService<GoogleEmulator>(), "drain");
        using var created = await silo.Http.PostAsJsonAsync("/v1/tenants", new { name = "Drain", google = new { clientId = client.ClientId, clientSecret = client.ClientSecret } }, _ct);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        return ((await created.Content.ReadFromJsonAsync<JsonElement>(_ct)).GetProperty("apiKey").GetString()!, client);
    }

    /// <summary>Closed-loop token requests, spread over the silos the balancer keeps in rotation; nothing is retried.</summary>
    private static async Task LoadAsync(
        int worker, IReadOnlyList<string> connectionIds, HttpClient toStaying, HttpClient toLeaving, ReadinessBalancer balancer, ConcurrentQueue<Result> results, CancellationToken stop)
    {
        var random = new Random(worker);
        while (!stop.IsCancellationRequested)
        {
            var useLeaving = balancer.InRotation && random.Next(2) == 0;
            var whileDraining = balancer.Stopping;
            var id = connectionIds[random.Next(connectionIds.Count)];
            string? failure = null;
            try
            {
                using var response = await (useLeaving ? toLeaving : toStaying).PostAsJsonAsync($"/v1/connections/{id}/token", new { }, CancellationToken.None);
                if (!response.IsSuccessStatusCode)
                {
                    failure = $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync(CancellationToken.None)}";
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                failure = $"{e.GetType().Name}: {e.Message}";
            }

            results.Enqueue(new Result(useLeaving ? "leaving" : "staying", whileDraining, failure));
        }
    }

    /// <summary>Connection grains active on a silo, from the Orleans meter on its <c>/metrics</c>.</summary>
    private static async Task<double> ConnectionActivationsAsync(SiloProcess silo)
    {
        var scrape = await silo.Http.GetStringAsync("/metrics");
        return scrape.Split('\n')
            .Where(line => line.StartsWith("orleans_catalog_activations{", StringComparison.Ordinal) && line.Contains("grain_type=\"connection\"", StringComparison.Ordinal))
            .Sum(line => double.Parse(line[(line.LastIndexOf(' ') + 1)..], System.Globalization.CultureInfo.InvariantCulture));
    }

    private static HttpClient Client(Uri baseUrl, string apiKey)
    {
        var client = new HttpClient { BaseAddress = baseUrl, Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Authorization = new("Bearer", apiKey);
        return client;
    }

    private sealed record Result(string Silo, bool WhileDraining, string? Failure);

    /// <summary>
    /// A load balancer's view of one backend, probing readiness as Kubernetes does (a period, a
    /// failure threshold): out of rotation after two failed probes in a row, so requests keep
    /// reaching a draining silo for a probe period or more, as they do in production.
    /// </summary>
    private sealed class ReadinessBalancer(SiloProcess backend)
    {
        private const int FailureThreshold = 2;
        private volatile bool _inRotation = true;
        private volatile bool _sawDraining;
        private volatile bool _stopping;

        public bool InRotation => _inRotation;

        public bool SawDraining => _sawDraining;

        /// <summary>Set when the backend is sent SIGTERM: requests from then on reach a draining silo.</summary>
        public bool Stopping
        {
            get => _stopping;
            set => _stopping = value;
        }

        public async Task ProbeAsync(CancellationToken stop)
        {
            using var probe = new HttpClient { BaseAddress = backend.BaseUrl, Timeout = TimeSpan.FromSeconds(2) };
            using var period = new PeriodicTimer(TimeSpan.FromMilliseconds(300)); // the probe period
            var failedInARow = 0;
            try
            {
                while (_inRotation && await period.WaitForNextTickAsync(stop))
                {
                    try
                    {
                        using var ready = await probe.GetAsync("/health/ready", CancellationToken.None);
                        _sawDraining |= ready.StatusCode == HttpStatusCode.ServiceUnavailable;
                        failedInARow = ready.IsSuccessStatusCode ? 0 : failedInARow + 1;
                    }
                    catch (HttpRequestException)
                    {
                        failedInARow++; // gone without saying so first: the test fails on SawDraining
                    }

                    _inRotation = failedInARow < FailureThreshold;
                }
            }
            catch (OperationCanceledException)
            {
                // The load is over.
            }
        }
    }
}
