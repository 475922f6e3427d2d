using CalendarGrains.Indexing;
using StackExchange.Redis;

namespace CalendarGrains.Silo.Hosting;

/// <summary>
/// One Redis connection for the whole process: the Orleans clustering, storage and reminder
/// providers, the indexes and the pub/sub all share it (a multiplexer is meant to be shared).
/// </summary>
public sealed class SharedRedis(string connectionString) : IRedisDatabaseProvider, IAsyncDisposable
{
    private readonly Lazy<Task<IConnectionMultiplexer>> _connection = new(async () =>
        await ConnectionMultiplexer.ConnectAsync(Configuration(connectionString)));

    public static ConfigurationOptions Configuration(string connectionString)
    {
        var options = ConfigurationOptions.Parse(connectionString);
        // Note: keep retrying while Redis restarts rather than failing the silo at once.
        options.AbortOnConnectFail = false;
        return options;
    }

    public Task<IConnectionMultiplexer> ConnectAsync() => _connection.Value;

    public async Task<IDatabase> GetDatabaseAsync() => (await _connection.Value).GetDatabase();

    public async ValueTask DisposeAsync()
    {
        if (_connection.IsValueCreated)
        {
            await (await _connection.Value).DisposeAsync();
        }
    }
}
