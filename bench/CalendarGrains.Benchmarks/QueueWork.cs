using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using CalendarGrains.Calls;
using CalendarGrains.Common;
using CalendarGrains.Sandbox.Vapi;
using CalendarGrains.Silo.Hosting;
using CalendarGrains.Silo.Vapi;
using Orleans.Storage;

namespace CalendarGrains.Benchmarks;

/// <summary>
/// The per-tenant call queue's own work while many calls wait in its line: the grain calls it
/// receives and the state writes it makes, per watch period. The real service (sandbox mode) with
/// every watch at 1 s stands in for production's 1 minute, so a figure per period is a figure per
/// minute there. The tenant's one slot is held by a call Vapi keeps queued (the emulator in manual
/// mode), so every other call waits for the whole window.
/// </summary>
public static class QueueWork
{
    /// <summary>The watch at test scale: one period here is one minute in production (<c>Calls:WatchInterval</c>).</summary>
    private static readonly TimeSpan Period = TimeSpan.FromSeconds(1);

    public sealed record Result(long Waiting, int Periods, long Calls, long Writes, IReadOnlyDictionary<string, long> CallsByMethod);

    /// <summary><c>-- queue [seconds]</c>: measures with 1,000 calls waiting and prints the counts per period.</summary>
    public static async Task PrintAsync(string[] args)
    {
        const int Waiting = 1_000;
        var window = TimeSpan.FromSeconds(args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 60);
        var work = await MeasureAsync(Waiting, window);
        Console.WriteLine();
        Console.WriteLine(FormattableString.Invariant($"call queue with {work.Waiting:N0} calls waiting, {work.Periods} watch periods of 1 s (= minutes at the default Calls:WatchInterval):"));
        Console.WriteLine(FormattableString.Invariant($"  grain calls received: {work.Calls:N0} = {(double)work.Calls / work.Periods:F1} per period"));
        Console.WriteLine("  by method: " + string.Join(", ", work.CallsByMethod.OrderByDescending(pair => pair.Value).Select(pair => FormattableString.Invariant($"{pair.Key} {pair.Value:N0}"))));
        Console.WriteLine(FormattableString.Invariant($"  state writes: {work.Writes:N0} = {(double)work.Writes / work.Periods:F1} per period"));
    }

    public static async Task<Result> MeasureAsync(int waitingCalls, TimeSpan window)
    {
        var counter = new QueueCounter();
        var settings = new[]
        {
            "--urls=http://127.0.0.1:0", "--Admin:ApiKey=cga_benchmark-admin-key-0123456789", "--Logging:LogLevel:Default=Warning",
            $"--Orleans:SiloPort={FreePort()}", $"--Orleans:GatewayPort={FreePort()}",
            $"--Calls:WatchInterval={Period}", $"--Orleans:ReminderOptions:MinimumReminderPeriod={Period}",
            // Production's ratio of the line lease to the watch (30 minutes to 1), where the build has one.
            $"--Calls:LineLease={Period * 30}",
        };
        await using var service = CalendarGrainsApp.Build(settings, builder =>
        {
            builder.Services.AddSingleton<IIncomingGrainCallFilter>(counter);
            builder.Services.AddKeyedSingleton<IGrainStorage>(StorageNames.State, (services, key) =>
                new CountingStorage(MemoryGrainStorageFactory.Create(services, (string)key!), counter));
        });
        await service.StartAsync();
        var baseUrl = new Uri(service.Urls.First());
        var vapi = service.Services.GetRequiredService<VapiEmulator>();
        vapi.Configure(s => s with { Lifecycle = VapiLifecycleMode.Manual });

        using var admin = new HttpClient { BaseAddress = baseUrl };
        admin.DefaultRequestHeaders.Authorization = new("Bearer", "cga_benchmark-admin-key-0123456789");
        var vapiKey = "vapi-bench-" + Guid.NewGuid().ToString("N");
        var tenant = await (await admin.PostAsJsonAsync("/v1/tenants", new
        {
            name = "Queue benchmark",
            google = new { clientId = "bench.apps.googleusercontent.com", clientSecret = "bench-secret" },
            vapi = new { apiKey = vapiKey, concurrencyLimit = 1, assistantId = "asst-bench", phoneNumberId = "phone-bench" },
        })).Content.ReadFromJsonAsync<JsonElement>();
        var tenantId = tenant.GetProperty("id").GetString()!;
        vapi.RegisterAccount(vapiKey, 1, new Uri(baseUrl, VapiEventsApi.PathFor(tenantId)), tenant.GetProperty("vapiServerSecret").GetString());
        using var api = new HttpClient { BaseAddress = baseUrl };
        api.DefaultRequestHeaders.Authorization = new("Bearer", tenant.GetProperty("apiKey").GetString());
        var connection = await (await api.PostAsJsonAsync("/v1/connections?validate=false", new { endUserId = "bench-user", refreshToken = "1//bench" }))
            .Content.ReadFromJsonAsync<JsonElement>();
        var connectionId = connection.GetProperty("id").GetString()!;

        // One call takes the slot and stays queued at Vapi; the rest wait in line.
        Console.WriteLine($"Placing {waitingCalls + 1} calls...");
        await PlaceAsync(api, connectionId, 0);
        await Parallel.ForAsync(1, waitingCalls + 1, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, _) => await PlaceAsync(api, connectionId, i));
        var queue = service.Services.GetRequiredService<IGrainFactory>().GetGrain<ICallQueueGrain>(tenantId);
        for (var tries = 0; (await queue.GetStatusAsync()).Waiting < waitingCalls; tries++)
        {
            if (tries > 600)
            {
                throw new InvalidOperationException($"The line never reached {waitingCalls}: {await queue.GetStatusAsync()}");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100)); // the bench waits for its setup; not a test
        }

        // Every call has been through a few watch ticks before the counting starts.
        await Task.Delay(Period * 5);
        counter.Reset();
        await Task.Delay(window);
        var (calls, writes, byMethod) = counter.Snapshot();
        var status = await queue.GetStatusAsync();
        await service.StopAsync();
        return new Result(status.Waiting, (int)(window / Period), calls, writes, byMethod);
    }

    private static async Task PlaceAsync(HttpClient api, string connectionId, int i)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/calls")
        {
            Content = JsonContent.Create(new { connectionId, customer = new { number = string.Create(CultureInfo.InvariantCulture, $"+1555{i:D7}") } }),
        };
        request.Headers.Add("Idempotency-Key", $"bench-{i}");
        using var response = await api.SendAsync(request);
        response.EnsureSuccessStatusCode();
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Counts what reaches the queue grain: each call by method (reminder ticks included), and its state writes.</summary>
    private sealed class QueueCounter : IIncomingGrainCallFilter
    {
        private ConcurrentDictionary<string, long> _calls = new(StringComparer.Ordinal);
        private long _writes;

        public Task Invoke(IIncomingGrainCallContext context)
        {
            if (context.Grain is CallQueueGrain)
            {
                _calls.AddOrUpdate(context.MethodName, 1, (_, n) => n + 1);
            }

            return context.Invoke();
        }

        public void Wrote(string stateName)
        {
            if (stateName == "callqueue")
            {
                Interlocked.Increment(ref _writes);
            }
        }

        public void Reset()
        {
            _calls = new(StringComparer.Ordinal);
            Interlocked.Exchange(ref _writes, 0);
        }

        public (long Calls, long Writes, IReadOnlyDictionary<string, long> ByMethod) Snapshot()
        {
            var byMethod = new Dictionary<string, long>(_calls, StringComparer.Ordinal);
            return (byMethod.Values.Sum(), Interlocked.Read(ref _writes), byMethod);
        }
    }

    private sealed class CountingStorage(IGrainStorage inner, QueueCounter counter) : IGrainStorage
    {
        public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) => inner.ReadStateAsync(stateName, grainId, grainState);

        public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
        {
            counter.Wrote(stateName);
            return inner.WriteStateAsync(stateName, grainId, grainState);
        }

        public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) => inner.ClearStateAsync(stateName, grainId, grainState);
    }
}
