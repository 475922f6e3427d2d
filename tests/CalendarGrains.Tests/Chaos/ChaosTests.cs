using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using CalendarGrains.Calls;
using CalendarGrains.Sandbox;
using CalendarGrains.Sandbox.Google;
using CalendarGrains.Sandbox.Vapi;
using CalendarGrains.Silo.Calls;
using CalendarGrains.Silo.Operations;
using CalendarGrains.Silo.Vapi;
using CalendarGrains.Tests.Calls;
using CalendarGrains.Tests.Cluster;
using CalendarGrains.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace CalendarGrains.Tests.Chaos;

/// <summary>
/// Three silo processes on Redis under a bounded load of token requests and call placements; one
/// is killed with SIGKILL a third of the way in and restarted at two thirds. Every token request
/// must eventually succeed, no connection may be lost and no customer dialled twice; the figures
/// (failover gap, errors, throughput before, during and after) are reported.
/// Its own command: <c>dotnet test --project tests/CalendarGrains.Tests -- --filter-trait "Category=Chaos"</c>.
/// </summary>
[Trait("Category", "Chaos")]
public sealed class ChaosTests(RedisServer redis) : IAsyncLifetime
{
    private const int Connections = 40;
    private const int TokenWorkers = 8;
    private const int CallsToPlace = 30;
    private static readonly TimeSpan Phase = TimeSpan.FromSeconds(15);

    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;
    private WebApplication _emulators = null!;
    private Uri _emulatorUrl = null!;

    private GoogleEmulator Google => _emulators.Services.GetRequiredService<GoogleEmulator>();

    private VapiEmulator Vapi => _emulators.Services.GetRequiredService<VapiEmulator>();

    public async ValueTask InitializeAsync() => (_emulators, _emulatorUrl) = await EmulatorHost.StartOnFreePortAsync(_ct);

    public async ValueTask DisposeAsync() => await _emulators.DisposeAsync();

    [Fact]
    public async Task KillingASiloMidLoad_LosesNothing_DialsNobodyTwice_AndReportsTheFailover()
    {
        Vapi.Use(EmulatorSettings.Fast);
        var settings = Settings();
        var diagnosis = new ChaosDiagnosis(redis, settings["Orleans:ServiceId"]!);
        var concerned = new List<string>();
        var ports = Enumerable.Range(0, 9).Select(_ => FreePort.Next()).ToArray();
        var silos = new SiloProcess?[3];
        try
        {
            for (var i = 0; i < 3; i++)
            {
                silos[i] = await SiloProcess.StartAsync(settings, ports[i * 3], ports[(i * 3) + 1], ports[(i * 3) + 2]);
                diagnosis.Started(i, silos[i]!);
            }

            await Eventually.HoldsAsync(
                async () => (await silos[0]!.Http.GetFromJsonAsync<ClusterApi.ClusterView>("/v1/cluster", _ct))!.Silos.Count(s => s.Status == "active") == 3,
                TimeSpan.FromSeconds(60), "three active silos");
            var setup = await SetUpAsync(silos[0]!);
            diagnosis.TenantId = setup.TenantId;
            var urls = silos.Select(s => s!.BaseUrl).ToArray();

            await WarmUpAsync(urls, setup);
            var clock = Stopwatch.StartNew();
            diagnosis.Note(TimeSpan.Zero, $"the test clock starts; the silos' log lines say {TimeProvider.System.GetLocalNow():HH:mm:ss.fff}");
            using var stop = new CancellationTokenSource(Phase * 3);
            var tokens = new ConcurrentBag<Attempted>();
            var workers = Enumerable.Range(0, TokenWorkers).Select(w => TokenWorkerAsync(w, urls, setup, clock, tokens, stop.Token)).ToList();
            var calls = PlaceCallsAsync(urls, setup, clock, diagnosis, stop.Token);

            await Task.Delay(Phase, _ct); // chaos timing, not synchronisation: the load runs meanwhile
            var killedAt = clock.Elapsed;
            await silos[2]!.DisposeAsync(); // SIGKILL: no goodbye to the cluster
            silos[2] = null;
            diagnosis.Note(killedAt, $"silo 2 (port {ports[6]}) killed with SIGKILL");
            await Task.Delay(Phase, _ct);
            var restartedAt = clock.Elapsed;
            diagnosis.Note(restartedAt, "silo 2 restarting");
            silos[2] = await SiloProcess.StartAsync(settings, ports[6], ports[7], ports[8]);
            diagnosis.Started(2, silos[2]!);
            diagnosis.Note(clock.Elapsed, "silo 2 ready again");

            await Task.WhenAll(workers);
            var callIds = await calls;

            // Every token request eventually succeeded.
            var all = tokens.ToList();
            Assert.All(all, a => Assert.True(a.Succeeded, $"a token request failed for good after {a.Outcomes.Count} attempts"));

            // No connection was lost (read through a silo that stayed up; a 503 while the cluster settles is retried).
            foreach (var id in setup.ConnectionIds)
            {
                await Eventually.HoldsAsync(
                    async () => (await ReadAsync<JsonElement>(silos[0]!.BaseUrl, setup.ApiKey, $"/v1/connections/{id}")).GetProperty("status").GetString() == "active",
                    TimeSpan.FromSeconds(30), $"connection {id} is there and active");
            }

            // Every call ended, and Vapi was asked to dial each one once.
            foreach (var callId in callIds)
            {
                var last = default(JsonElement);
                try
                {
                    await Eventually.HoldsAsync(
                        async () => (last = await ReadAsync<JsonElement>(silos[0]!.BaseUrl, setup.ApiKey, $"/v1/calls/{callId}")).GetProperty("status").GetString() == "ended",
                        TimeSpan.FromSeconds(90), $"call {callId} ends");
                }
                catch (TimeoutException e)
                {
                    concerned.Add(callId);
                    throw new InvalidOperationException($"Call {callId} did not end: {last}", e);
                }
            }

            var dialled = Vapi.CreatedCalls().Where(c => c.OrgId == setup.VapiOrgId && c.EndedReason != VapiEmulator.ConcurrencyLimitReachedReason)
                .GroupBy(CallScenario.OurCallId).ToList();
            concerned.AddRange(callIds.Except(dialled.Select(group => group.Key!)));
            concerned.AddRange(dialled.Where(group => group.Count() > 1).Select(group => group.Key!));
            Assert.Equal(callIds.Count, dialled.Count);
            Assert.All(dialled, group => Assert.Single(group));

            Report(all, callIds.Count, killedAt, restartedAt, clock.Elapsed);
        }
        catch (Exception e)
        {
            // Kept beside the test binaries: a chaos failure is worth reading in full.
            await diagnosis.WriteAsync(e, concerned, Vapi);
            throw;
        }
        finally
        {
            foreach (var silo in silos)
            {
                if (silo is not null)
                {
                    await silo.DisposeAsync();
                }
            }
        }
    }

    private Dictionary<string, string?> Settings()
    {
        var settings = ServiceHost.InRedisMode(redis);
        foreach (var (key, value) in CallsHostFixture.FastCalls())
        {
            settings[key] = value;
        }

        EmulatedProviders.PointAt(settings, _emulatorUrl);
        settings["Orleans:ReminderOptions:MinimumReminderPeriod"] = "00:00:01";
        // Detection in seconds rather than the default minute and a half, so the run is short.
        settings["Orleans:Membership:ProbeTimeout"] = "00:00:01";
        settings["Orleans:Membership:NumMissedProbesLimit"] = "2";
        settings["Orleans:Membership:TableRefreshTimeout"] = "00:00:02";
        settings["Orleans:Messaging:ResponseTimeout"] = "00:00:10";
        // Every grain operation's deadline below that response timeout, and each Vapi read within it.
        settings["Grains:OperationBudget"] = "00:00:08";
        settings["Calls:ReadTimeout"] = "00:00:08";
        settings["Logging:LogLevel:Default"] = "Warning";
        // Each call's and queue's steps, one line each with its time: what a failure file needs.
        settings["Logging:LogLevel:CalendarGrains.Calls"] = "Debug";
        settings["Logging:Console:FormatterName"] = "simple";
        settings["Logging:Console:FormatterOptions:SingleLine"] = "true";
        settings["Logging:Console:FormatterOptions:TimestampFormat"] = "HH:mm:ss.fff ";
        return settings;
    }

    /// <summary>A tenant, its Vapi account at the emulator, and connections holding real grants.</summary>
    private async Task<Setup> SetUpAsync(SiloProcess silo)
    {
        var (clientId, clientSecret) = EmulatedProviders.RegisterClient(Google, "chaos");
        var vapiKey = "vapi-chaos-" + Guid.NewGuid().ToString("N");
        var created = await silo.Http.PostAsJsonAsync("/v1/tenants", new
        {
            name = "Chaos",
            google = new { clientId, clientSecret },
            vapi = new { apiKey = vapiKey, concurrencyLimit = 5, assistantId = "asst-chaos", phoneNumberId = "phone-chaos" },
        }, _ct);
        var tenant = await created.Content.ReadFromJsonAsync<JsonElement>(_ct);
        var tenantId = tenant.GetProperty("id").GetString()!;
        var apiKey = tenant.GetProperty("apiKey").GetString()!;
        // Vapi's server messages go to the silo that stays up; the others learn by polling if needed.
        var account = Vapi.RegisterAccount(vapiKey, 5, new Uri(silo.BaseUrl, VapiEventsApi.PathFor(tenantId)), tenant.GetProperty("vapiServerSecret").GetString());

        using var api = Client(silo.BaseUrl, apiKey);
        var ids = await EmulatedProviders.ImportConnectionsAsync(_emulatorUrl, (clientId, clientSecret), [api], "chaos-conn", Connections, _ct);
        return new Setup(tenantId, apiKey, account.OrgId, ids);
    }

    /// <summary>A few seconds of the same load before measuring: three fresh processes still compile their hot paths.</summary>
    private static async Task WarmUpAsync(Uri[] silos, Setup setup)
    {
        using var clients = new ClientSet(silos, setup.ApiKey);
        var until = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, TokenWorkers).Select(async worker =>
        {
            for (var i = worker; until.Elapsed < TimeSpan.FromSeconds(5); i++)
            {
                using var response = await clients.For(i % silos.Length).PostAsJsonAsync($"/v1/connections/{setup.ConnectionIds[i % setup.ConnectionIds.Count]}/token", new { });
                response.EnsureSuccessStatusCode();
            }
        }));
    }

    /// <summary>Token requests to any silo; a request that fails is retried elsewhere until it succeeds.</summary>
    private static async Task TokenWorkerAsync(int worker, Uri[] silos, Setup setup, Stopwatch clock, ConcurrentBag<Attempted> results, CancellationToken stop)
    {
        var random = new Random(worker);
        using var clients = new ClientSet(silos, setup.ApiKey);
        while (!stop.IsCancellationRequested)
        {
            var connectionId = setup.ConnectionIds[random.Next(setup.ConnectionIds.Count)];
            var started = clock.Elapsed;
            var outcomes = new List<Outcome>();
            while (outcomes.LastOrDefault()?.Kind != OutcomeKind.Ok && clock.Elapsed - started < TimeSpan.FromSeconds(90))
            {
                var sent = clock.Elapsed;
                OutcomeKind kind;
                try
                {
                    using var response = await clients.For(random.Next(silos.Length)).PostAsJsonAsync($"/v1/connections/{connectionId}/token", new { }, CancellationToken.None);
                    kind = response.IsSuccessStatusCode ? OutcomeKind.Ok : OutcomeKind.ErrorStatus;
                }
                catch (HttpRequestException)
                {
                    kind = OutcomeKind.Refused; // the killed silo's port is closed: try another silo
                }
                catch (TaskCanceledException)
                {
                    kind = OutcomeKind.TimedOut;
                }

                outcomes.Add(new Outcome(kind, clock.Elapsed - sent));
            }

            results.Add(new Attempted(started, clock.Elapsed, outcomes));
        }
    }

    /// <summary>Calls placed through any silo, one a half second; a failed attempt is retried with the same key.</summary>
    private static async Task<List<string>> PlaceCallsAsync(Uri[] silos, Setup setup, Stopwatch clock, ChaosDiagnosis diagnosis, CancellationToken stop)
    {
        using var clients = new ClientSet(silos, setup.ApiKey);
        var ids = new List<string>();
        for (var i = 0; i < CallsToPlace && !stop.IsCancellationRequested; i++)
        {
            var key = $"chaos-call-{i}";
            var body = JsonSerializer.Serialize(new { connectionId = setup.ConnectionIds[i % setup.ConnectionIds.Count], customer = new { number = $"+1555030{i:D4}" } });
            var lastAnswer = "";
            for (var attempt = 0; ; attempt++)
            {
                try
                {
                    using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/calls") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
                    request.Headers.Add("Idempotency-Key", key);
                    var sentAt = clock.Elapsed;
                    using var response = await clients.For((i + attempt) % silos.Length).SendAsync(request, CancellationToken.None);
                    if (response.IsSuccessStatusCode)
                    {
                        var id = (await response.Content.ReadFromJsonAsync<JsonElement>(CancellationToken.None)).GetProperty("id").GetString()!;
                        diagnosis.Note(sentAt, $"{key} attempt {attempt} via silo {(i + attempt) % silos.Length}: {(int)response.StatusCode} {id} (answered at t={clock.Elapsed.TotalSeconds:F2}s)");
                        ids.Add(id);
                        break;
                    }

                    lastAnswer = $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync(CancellationToken.None)}";
                    diagnosis.Note(sentAt, $"{key} attempt {attempt} via silo {(i + attempt) % silos.Length}: {lastAnswer}");
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                {
                    lastAnswer = e.GetType().Name; // Retried with the same key: the same call, never a second one.
                    diagnosis.Note(clock.Elapsed, $"{key} attempt {attempt} via silo {(i + attempt) % silos.Length}: {lastAnswer}");
                }

                Assert.True(attempt < 100, $"call {key} could not be placed: {lastAnswer}");
                await Task.Delay(TimeSpan.FromMilliseconds(200), CancellationToken.None); // pacing retries
            }

            await Task.Delay(TimeSpan.FromMilliseconds(500), CancellationToken.None); // pacing the load, not waiting on a condition
        }

        return ids;
    }

    private static void Report(List<Attempted> all, int calls, TimeSpan killedAt, TimeSpan restartedAt, TimeSpan end)
    {
        double Rate(TimeSpan from, TimeSpan to) => all.Count(a => a.Succeeded && a.Finished >= from && a.Finished < to) / (to - from).TotalSeconds;
        var finishes = all.Where(a => a.Succeeded).Select(a => a.Finished).Order().ToList();
        var longestSilence = finishes.Zip(finishes.Skip(1), (a, b) => b - a).DefaultIfEmpty().Max();
        var longestRequest = all.Max(a => a.Finished - a.Started);
        var outcomes = all.SelectMany(a => a.Outcomes).ToList();
        int Count(OutcomeKind kind) => outcomes.Count(o => o.Kind == kind);
        var slowestOk = outcomes.Where(o => o.Kind == OutcomeKind.Ok).Max(o => o.Took);
        var answeredByLive = outcomes.Count - Count(OutcomeKind.Refused);
        var lines = new[]
        {
            "## Chaos run (3 silos on Redis, SIGKILL of one, restart)",
            string.Create(CultureInfo.InvariantCulture, $"token requests: {all.Count}, all succeeded; {outcomes.Count} attempts"),
            string.Create(CultureInfo.InvariantCulture, $"attempts refused because they went to the killed silo (closed port, retried elsewhere): {Count(OutcomeKind.Refused)}"),
            string.Create(CultureInfo.InvariantCulture, $"attempts a live silo answered with an error: {Count(OutcomeKind.ErrorStatus)}, timed out: {Count(OutcomeKind.TimedOut)} = {100.0 * (Count(OutcomeKind.ErrorStatus) + Count(OutcomeKind.TimedOut)) / answeredByLive:F3}% of {answeredByLive}"),
            string.Create(CultureInfo.InvariantCulture, $"longest client-seen wait for one token (retries included): {longestRequest.TotalSeconds:F2} s; slowest successful single attempt: {slowestOk.TotalSeconds:F2} s"),
            string.Create(CultureInfo.InvariantCulture, $"longest gap with no successful token answer anywhere: {longestSilence.TotalSeconds:F2} s"),
            string.Create(CultureInfo.InvariantCulture, $"throughput (successful token requests/s, {TokenWorkers} closed-loop clients): before kill {Rate(TimeSpan.Zero, killedAt):F0}, one silo down {Rate(killedAt, restartedAt):F0}, after restart {Rate(restartedAt, end):F0}"),
            $"calls: {calls} placed through any silo (retried with their Idempotency-Key), all ended, each dialled once",
        };
        foreach (var line in lines)
        {
            TestContext.Current.TestOutputHelper?.WriteLine(line);
            Console.WriteLine(line);
        }

        var artifacts = Path.Combine(AppContext.BaseDirectory, "chaos-report.md");
        File.WriteAllLines(artifacts, lines);
    }

    private static async Task<T> ReadAsync<T>(Uri baseUrl, string apiKey, string path)
    {
        using var client = Client(baseUrl, apiKey);
        return (await client.GetFromJsonAsync<T>(path))!;
    }

    private static HttpClient Client(Uri baseUrl, string apiKey)
    {
        var client = new HttpClient { BaseAddress = baseUrl, Timeout = TimeSpan.FromSeconds(15) };
        client.DefaultRequestHeaders.Authorization = new("Bearer", apiKey);
        return client;
    }

    private sealed record Setup(string TenantId, string ApiKey, string VapiOrgId, IReadOnlyList<string> ConnectionIds);

    private enum OutcomeKind
    {
        Ok,
        Refused,
        ErrorStatus,
        TimedOut,
    }

    private sealed record Outcome(OutcomeKind Kind, TimeSpan Took);

    /// <summary>One logical token request: its attempts (a failed one is retried on another silo).</summary>
    private sealed record Attempted(TimeSpan Started, TimeSpan Finished, IReadOnlyList<Outcome> Outcomes)
    {
        public bool Succeeded => Outcomes.Count > 0 && Outcomes[^1].Kind == OutcomeKind.Ok;
    }

    /// <summary>One client per silo, so a dead silo's connections do not poison the others.</summary>
    private sealed class ClientSet(Uri[] silos, string apiKey) : IDisposable
    {
        private readonly HttpClient[] _clients = [.. silos.Select(url => Client(url, apiKey))];

        public HttpClient For(int silo) => _clients[silo];

        public void Dispose()
        {
            foreach (var client in _clients)
            {
                client.Dispose();
            }
        }
    }
}
