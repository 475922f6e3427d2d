using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using CalendarGrains.Indexing;
using StackExchange.Redis;

namespace CalendarGrains.Benchmarks;

/// <summary>
/// Paging the connection index of a tenant with a million connections, on a real redis-server:
/// the part of a list request that depends on how many connections the tenant has (each page
/// then reads its 50 connections from their grains, a cost independent of the total).
/// </summary>
public static class ListingAtScale
{
    public sealed record Result(int Members, double StartMs, double MiddleMs, double EndMs, double SeedSeconds);

    public static async Task<Result?> MeasureAsync(int members = 1_000_000, int pageSize = 50, int samples = 200)
    {
        var port = FreePort();
        using var redis = Process.Start(new ProcessStartInfo("redis-server")
        {
            ArgumentList = { "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no" },
            RedirectStandardOutput = true,
        });
        if (redis is null)
        {
            return null;
        }

        try
        {
            var connection = await ConnectAsync($"127.0.0.1:{port}");
            var index = new RedisOrderedIndex(new Provider(connection), "bench");
            var set = "connections/ten_bench";
            var seeding = Stopwatch.StartNew();
            var database = connection.GetDatabase();
            const int Batch = 10_000;
            for (var start = 0; start < members; start += Batch)
            {
                var entries = Enumerable.Range(start, Math.Min(Batch, members - start))
                    .Select(i => new SortedSetEntry($"conn_{i:D26}", 0)).ToArray();
                await database.SortedSetAddAsync($"bench/index/{set}", entries);
            }

            var seedSeconds = seeding.Elapsed.TotalSeconds;
            return new Result(
                members,
                await MedianPageAsync(index, set, null, pageSize, samples),
                await MedianPageAsync(index, set, $"conn_{members / 2:D26}", pageSize, samples),
                await MedianPageAsync(index, set, $"conn_{members - pageSize - 1:D26}", pageSize, samples),
                seedSeconds);
        }
        finally
        {
            redis.Kill();
            await redis.WaitForExitAsync();
        }
    }

    private static async Task<double> MedianPageAsync(RedisOrderedIndex index, string set, string? after, int pageSize, int samples)
    {
        var times = new List<double>(samples);
        for (var i = 0; i < samples; i++)
        {
            var started = Stopwatch.GetTimestamp();
            var page = await index.PageAsync(set, after, pageSize);
            times.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            if (page.Count != pageSize)
            {
                throw new InvalidOperationException($"A page of {page.Count}, not {pageSize}.");
            }
        }

        times.Sort();
        return times[samples / 2];
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

    private sealed class Provider(ConnectionMultiplexer connection) : IRedisDatabaseProvider
    {
        public Task<IDatabase> GetDatabaseAsync() => Task.FromResult(connection.GetDatabase());
    }
}
