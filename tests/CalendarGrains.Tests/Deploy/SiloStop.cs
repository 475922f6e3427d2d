using CalendarGrains.Silo.Hosting;
using CalendarGrains.Silo.Operations;
using CalendarGrains.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace CalendarGrains.Tests.Deploy;

/// <summary>What an orchestrator must wait for after SIGTERM before it kills a silo.</summary>
public static class SiloStop
{
    /// <summary>The drain (readiness 503, still serving) plus the host's shutdown timeout, in Redis mode.</summary>
    public static async Task<TimeSpan> BudgetAsync(RedisServer redis)
    {
        var settings = ServiceHost.InRedisMode(redis);
        settings["Admin:ApiKey"] = ServiceHost.AdminKey;
        settings["urls"] = "http://127.0.0.1:0";
        await using var app = CalendarGrainsApp.Build([.. settings.Select(pair => $"--{pair.Key}={pair.Value}")]);
        var shutdown = app.Services.GetRequiredService<IOptions<HostOptions>>().Value.ShutdownTimeout;
        var drain = TimeSpan.FromSeconds(app.Services.GetRequiredService<ServiceModeDrain>().Seconds);
        return drain + shutdown;
    }
}
