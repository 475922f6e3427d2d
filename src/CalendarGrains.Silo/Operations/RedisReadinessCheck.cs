using CalendarGrains.Silo.Hosting;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace CalendarGrains.Silo.Operations;

/// <summary>
/// Ready only while Redis answers a PING within <see cref="PingTimeout"/>: every write, every cold
/// read and the cluster's membership live there, so a silo cut off from it cannot serve. The
/// answer is kept for <see cref="CacheFor"/>, so frequent probes (several load balancers, each
/// every few seconds) cost at most one PING per that period.
/// </summary>
public sealed class RedisReadinessCheck(SharedRedis redis) : IHealthCheck
{
    public static readonly TimeSpan PingTimeout = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(2);

    private volatile Checked? _last;

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var last = _last;
        var now = Environment.TickCount64;
        if (last is not null && now - last.AtMs < CacheFor.TotalMilliseconds)
        {
            return last.Result;
        }

        var result = await PingAsync(cancellationToken);
        _last = new Checked(result, Environment.TickCount64);
        return result;
    }

    private async Task<HealthCheckResult> PingAsync(CancellationToken cancellationToken)
    {
        try
        {
            var connection = await redis.ConnectAsync().WaitAsync(PingTimeout, cancellationToken);
            if (!connection.IsConnected)
            {
                return HealthCheckResult.Unhealthy("Redis is not connected.");
            }

            await connection.GetDatabase().PingAsync().WaitAsync(PingTimeout, cancellationToken);
            return HealthCheckResult.Healthy("Redis answers.");
        }
        catch (Exception e) when (e is TimeoutException or StackExchange.Redis.RedisException)
        {
            // The kind only: a connection error's message names the server.
            return HealthCheckResult.Unhealthy($"Redis does not answer ({e.GetType().Name}).");
        }
    }

    private sealed record Checked(HealthCheckResult Result, long AtMs);
}
