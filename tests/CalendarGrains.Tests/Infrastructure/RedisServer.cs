using System.Diagnostics;
using StackExchange.Redis;

[assembly: AssemblyFixture(typeof(CalendarGrains.Tests.Infrastructure.RedisServer))]

namespace CalendarGrains.Tests.Infrastructure;

/// <summary>
/// A real redis-server for the test run: the one named by <c>CG_TEST_REDIS</c>
/// (a connection string), or one started here on a free loopback port with no persistence.
/// Tests isolate themselves by a unique Orleans ServiceId (every key is prefixed by it).
/// </summary>
public sealed class RedisServer : IAsyncLifetime
{
    private Process? _process;
    private string? _directory;

    public string ConnectionString { get; private set; } = "";

    public ConnectionMultiplexer Connection { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        var given = Environment.GetEnvironmentVariable("CG_TEST_REDIS");
        if (string.IsNullOrWhiteSpace(given))
        {
            var port = FreePort.Next();
            _directory = Directory.CreateTempSubdirectory("cg-redis-").FullName;
            var start = new ProcessStartInfo("redis-server")
            {
                ArgumentList = { "--port", port.ToString(), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", _directory },
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            _process = Process.Start(start) ?? throw new InvalidOperationException("redis-server did not start: is it installed (apt-get install redis-server)?");
            ConnectionString = $"127.0.0.1:{port}";
        }
        else
        {
            ConnectionString = given;
        }

        Connection = await Eventually.HoldsAsync(
            async () => await ConnectionMultiplexer.ConnectAsync(ConnectionString + ",allowAdmin=true"),
            connection => connection.IsConnected,
            TimeSpan.FromSeconds(20),
            "redis-server answers");
    }

    /// <summary>Every string stored under keys that start with <paramref name="prefix"/>, as raw bytes decoded leniently.</summary>
    public async Task<string> DumpAsync(string prefix)
    {
        var server = Connection.GetServer(Connection.GetEndPoints()[0]);
        var database = Connection.GetDatabase();
        var dump = new System.Text.StringBuilder();
        await foreach (var key in server.KeysAsync(pattern: prefix + "*"))
        {
            dump.AppendLine(key.ToString());
            var type = await database.KeyTypeAsync(key);
            switch (type)
            {
                case RedisType.Hash:
                    foreach (var entry in await database.HashGetAllAsync(key))
                    {
                        dump.Append(entry.Name.ToString()).Append('=').AppendLine(Lenient(entry.Value));
                    }

                    break;
                case RedisType.String:
                    dump.AppendLine(Lenient(await database.StringGetAsync(key)));
                    break;
                case RedisType.SortedSet:
                    foreach (var member in await database.SortedSetRangeByRankAsync(key))
                    {
                        dump.AppendLine(member.ToString());
                    }

                    break;
                default:
                    dump.AppendLine(type.ToString());
                    break;
            }
        }

        return dump.ToString();
    }

    private static string Lenient(RedisValue value) => System.Text.Encoding.Latin1.GetString((byte[])value!);

    public async ValueTask DisposeAsync()
    {
        await Connection.DisposeAsync();
        if (_process is not null)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
            _process.Dispose();
        }

        if (_directory is not null)
        {
            Directory.Delete(_directory, recursive: true);
        }
    }
}
