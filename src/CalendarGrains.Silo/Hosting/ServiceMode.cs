namespace CalendarGrains.Silo.Hosting;

/// <summary>
/// How this process runs, decided from configuration alone: a Redis-backed cluster member when
/// <c>Redis:ConnectionString</c> is set, otherwise the embedded single-silo sandbox.
/// </summary>
public sealed record ServiceMode(string? RedisConnectionString, bool SandboxEnabled)
{
    public bool UsesRedis => !string.IsNullOrWhiteSpace(RedisConnectionString);

    public static ServiceMode From(IConfiguration configuration)
    {
        var redis = configuration["Redis:ConnectionString"];
        var sandbox = configuration.GetValue<bool?>("Sandbox:Enabled") ?? string.IsNullOrWhiteSpace(redis);
        return new ServiceMode(redis, sandbox);
    }
}
