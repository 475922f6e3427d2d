using System.Diagnostics;
using StackExchange.Redis;

namespace CalendarGrains.Tests.Infrastructure;

/// <summary>
/// A redis-server of a test's own, on a fixed loopback port, that the test can kill (an outage) and
/// start again on the same port with its data (append-only file, fsync on every write). Not the
/// shared <see cref="RedisServer"/>: stopping that would take every other test's storage with it.
/// </summary>
public sealed class RestartableRedis : IAsyncDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("cg-redis-restartable-").FullName;
    private readonly int _port = FreePort.Next();
    private Process? _process;

    public string ConnectionString => $"127.0.0.1:{_port}";

    public bool IsRunning => _process is { HasExited: false };

    public static async Task<RestartableRedis> StartNewAsync()
    {
        var redis = new RestartableRedis();
        await redis.StartAsync();
        return redis;
    }

    /// <summary>Starts the server (again) and waits until it answers a PING.</summary>
    public async Task StartAsync()
    {
        var start = new ProcessStartInfo("redis-server")
        {
            ArgumentList = { "--port", _port.ToString(), "--bind", "127.0.0.1", "--save", "", "--appendonly", "yes", "--appendfsync", "always", "--dir", _directory },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        _process = Process.Start(start) ?? throw new InvalidOperationException("redis-server did not start: is it installed (apt-get install redis-server)?");
        await Eventually.HoldsAsync(async () =>
        {
            await using var probe = await ConnectionMultiplexer.ConnectAsync(ConnectionString + ",connectTimeout=1000");
            return probe.IsConnected && (await probe.GetDatabase().PingAsync()) < TimeSpan.FromSeconds(5);
        }, TimeSpan.FromSeconds(20), "redis-server answers");
    }

    /// <summary>Kills the server at once, as an outage would (no goodbye to its clients).</summary>
    public async Task KillAsync()
    {
        if (_process is { HasExited: false } process)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process?.Dispose();
        Directory.Delete(_directory, recursive: true);
    }
}
