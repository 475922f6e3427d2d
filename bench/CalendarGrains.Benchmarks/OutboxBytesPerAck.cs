using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using CalendarGrains.Common;
using CalendarGrains.Silo.Hosting;
using CalendarGrains.Tenants;
using CalendarGrains.Webhooks;
using Orleans.Serialization;
using Orleans.Storage;
using StackExchange.Redis;

namespace CalendarGrains.Benchmarks;

/// <summary>
/// What Redis is sent per webhook acknowledgement with 10,000 events pending, on a real
/// redis-server (its <c>total_net_input_bytes</c> counter: every byte of every command a client sent):
/// the layout before the per-event store (the whole queue, one grain-state record, written through
/// the Orleans Redis storage provider on each outcome, as the earlier grain did), the store's own
/// write per acknowledgement, and the real outbox grain delivering to a local endpoint (everything
/// the process sent to Redis in that time, divided by the deliveries).
/// </summary>
public static class OutboxBytesPerAck
{
    public sealed record Result(
        int Pending, int EventRecordBytes, int OldStateBytes, double OldBytesPerAck,
        double StoreBytesPerAck, double GrainBytesPerAck, long GrainAcks, double GrainSeconds, double IdleBytesPerSecond);

    private const string AdminKey = "cga_benchmark-admin-key-0123456789";

    /// <summary>A realistic <c>call.status_changed</c> data object (about 280 bytes).</summary>
    private const string DataJson =
        """{"callId":"call_01KB3F6R7P9XQ2M4T8VWZ5N6HJ","connectionId":"conn_01KB3EZQ4M8N2P6R9T3V7X5Y1B","endUserId":"user-48213","status":"in-progress","previousStatus":"ringing","vapiCallId":"1f0e2d3c-4b5a-6978-8796-a5b4c3d2e1f0","customer":{"number":"+15550100"},"at":"2026-11-24T09:00:00Z"}""";

    public static async Task PrintAsync()
    {
        Console.WriteLine("Outbox: bytes sent to Redis per webhook acknowledgement with 10,000 pending (starts its own redis-server)...");
        if (await MeasureAsync() is not { } r)
        {
            Console.WriteLine("redis-server did not start: is it installed?");
            return;
        }

        Console.WriteLine(FormattableString.Invariant($"""
            pending events: {r.Pending:N0}; one event's record: {r.EventRecordBytes:N0} bytes; the whole queue as one record: {r.OldStateBytes:N0} bytes
            before (whole queue rewritten through the Orleans Redis storage per outcome): {r.OldBytesPerAck:N0} bytes per acknowledgement
            after, the store's write alone (one CompleteAsync):                            {r.StoreBytesPerAck:N0} bytes per acknowledgement
            after, the outbox grain delivering to a local endpoint (all Redis traffic):   {r.GrainBytesPerAck:N0} bytes per acknowledgement ({r.GrainAcks:N0} deliveries in {r.GrainSeconds:F1} s; idle background {r.IdleBytesPerSecond:N0} bytes/s)
            ratio before / after (store): {r.OldBytesPerAck / r.StoreBytesPerAck:N0}
            """));
    }

    public static async Task<Result?> MeasureAsync(int pending = 10_000, int acks = 1_000)
    {
        var port = FreePort();
        using var redisProcess = Process.Start(new ProcessStartInfo("redis-server")
        {
            ArgumentList = { "--port", port.ToString(CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no" },
            RedirectStandardOutput = true,
        });
        if (redisProcess is null)
        {
            return null;
        }

        try
        {
            var endpoint = $"127.0.0.1:{port}";
            await using var admin = await ConnectAsync(endpoint + ",allowAdmin=true");
            var server = admin.GetServer(admin.GetEndPoints()[0]);
            await using var receiver = await HeldReceiver.StartAsync();
            await using var service = CalendarGrainsApp.Build([
                "--urls=http://127.0.0.1:0", $"--Admin:ApiKey={AdminKey}", "--Logging:LogLevel:Default=Warning",
                $"--Redis:ConnectionString={endpoint}", "--Orleans:ServiceId=bench-outbox", "--Orleans:ClusterId=bench",
                "--Orleans:AdvertisedIPAddress=127.0.0.1", "--Encryption:ActiveKeyId=k1", "--PublicBaseUrl=https://bench.example",
                $"--Encryption:Keys:k1={Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32))}",
                $"--Orleans:SiloPort={FreePort()}", $"--Orleans:GatewayPort={FreePort()}", "--Sandbox:Enabled=false"]);
            await service.StartAsync();
            var serializer = service.Services.GetRequiredService<Serializer>();
            var time = TimeProvider.System;
            var now = time.GetUtcNow();
            var events = Enumerable.Range(0, pending)
                .Select(i => new PendingWebhook(new WebhookEvent($"evt_{i:D8}_{Guid.NewGuid():N}", WebhookEventTypes.CallStatusChanged, now, DataOf(i)), now, 0, now, null, i))
                .ToList();

            // Before: the queue as one record, as the earlier grain wrote it on every outcome.
            var storage = service.Services.GetRequiredKeyedService<IGrainStorage>(StorageNames.State);
            var queue = new WebhookOutboxState { Pending = [.. events.Select(e => e with { Sequence = 0 })] };
            var legacy = new GrainState<WebhookOutboxState>(queue);
            var legacyId = GrainId.Create("webhookoutbox", "ten_bench_legacy");
            await storage.WriteStateAsync("webhookOutbox", legacyId, legacy);
            const int OldWrites = 20;
            var oldBytes = await SentDuringAsync(server, async () =>
            {
                for (var i = 0; i < OldWrites; i++)
                {
                    queue.Pending.RemoveAt(0);
                    queue.Delivered++;
                    await storage.WriteStateAsync("webhookOutbox", legacyId, legacy);
                }
            });

            // After, the store alone: one CompleteAsync per acknowledgement.
            var store = service.Services.GetRequiredService<IWebhookStore>();
            var storeTenant = "ten_bench_store";
            foreach (var each in events)
            {
                await store.AddAsync(storeTenant, each, [], now, TimeSpan.FromHours(72));
            }

            var storeBytes = await SentDuringAsync(server, async () =>
            {
                foreach (var each in events.Take(acks))
                {
                    await store.CompleteAsync(storeTenant, [each.Delivered(now)], now, TimeSpan.FromHours(72), lastError: null);
                }
            });

            // After, the real grain: 10,000 enqueued while the endpoint holds the first attempts.
            var grains = service.Services.GetRequiredService<IGrainFactory>();
            var tenantId = Ids.NewTenantId(time);
            await grains.GetGrain<ITenantGrain>(tenantId).CreateAsync(new TenantDefinition(
                "Outbox bench", new GoogleClientInput("bench.apps.googleusercontent.com", "bench-secret", []), null, receiver.Url, []));
            var outbox = grains.GetGrain<IWebhookOutboxGrain>(tenantId);
            foreach (var each in events)
            {
                await outbox.EnqueueAsync(each.Event with { Id = each.EventId + "_grain" });
            }

            var idleClock = Stopwatch.StartNew();
            var idleBytes = await SentDuringAsync(server, () => Task.Delay(TimeSpan.FromSeconds(5)));
            var idlePerSecond = idleBytes / idleClock.Elapsed.TotalSeconds;

            var clock = Stopwatch.StartNew();
            long delivered = 0;
            var grainBytes = await SentDuringAsync(server, async () =>
            {
                receiver.Release();
                while ((delivered = (await outbox.GetStatusAsync()).Delivered) < acks)
                {
                    await Task.Delay(20);
                }
            });
            var seconds = clock.Elapsed.TotalSeconds;
            await service.StopAsync();

            return new Result(
                pending,
                serializer.SerializeToArray(events[0]).Length,
                serializer.SerializeToArray(new WebhookOutboxState { Pending = [.. events.Select(e => e with { Sequence = 0 })] }).Length,
                oldBytes / (double)OldWrites,
                storeBytes / (double)acks,
                grainBytes / (double)delivered,
                delivered,
                seconds,
                idlePerSecond);
        }
        finally
        {
            redisProcess.Kill();
            await redisProcess.WaitForExitAsync();
        }
    }

    /// <summary>
    /// Each event's own data, as in production: the serializer writes a string it has already
    /// written in the same record as a reference, so one shared string would understate the old layout.
    /// </summary>
    private static string DataOf(int i) => DataJson.Replace("call_01KB3F6R7P9XQ2M4T8VWZ5N6HJ", $"call_{i:D26}", StringComparison.Ordinal);

    /// <summary>Bytes every client sent Redis while <paramref name="work"/> ran, less what asking costs.</summary>
    private static async Task<long> SentDuringAsync(IServer server, Func<Task> work)
    {
        var before = await NetInputAsync(server);
        var asking = await NetInputAsync(server) - before;
        await work();
        return await NetInputAsync(server) - before - (2 * asking);
    }

    private static async Task<long> NetInputAsync(IServer server)
    {
        var stats = await server.InfoAsync("stats");
        var value = stats.SelectMany(group => group).First(pair => pair.Key == "total_net_input_bytes").Value;
        return long.Parse(value, CultureInfo.InvariantCulture);
    }

    private static async Task<ConnectionMultiplexer> ConnectAsync(string endpoint)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return await ConnectionMultiplexer.ConnectAsync(endpoint);
            }
            catch (RedisConnectionException) when (attempt < 50)
            {
                await Task.Delay(100); // redis-server is still starting
            }
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>A webhook endpoint that holds every request until released, then answers 204.</summary>
    private sealed class HeldReceiver : IAsyncDisposable
    {
        private readonly WebApplication _app;
        private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);

        private HeldReceiver(WebApplication app) => _app = app;

        public string Url => _app.Urls.First() + "/hooks";

        public static async Task<HeldReceiver> StartAsync()
        {
            var builder = WebApplication.CreateSlimBuilder(["--urls=http://127.0.0.1:0"]);
            builder.Logging.ClearProviders();
            var app = builder.Build();
            var receiver = new HeldReceiver(app);
            app.MapPost("/hooks", async () =>
            {
                await receiver._released.Task;
                return Results.NoContent();
            });
            await app.StartAsync();
            return receiver;
        }

        public void Release() => _released.TrySetResult();

        public async ValueTask DisposeAsync()
        {
            Release();
            await _app.DisposeAsync();
        }
    }
}
