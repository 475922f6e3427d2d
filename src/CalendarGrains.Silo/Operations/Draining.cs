namespace CalendarGrains.Silo.Operations;

/// <summary>
/// Graceful shutdown: on SIGTERM, readiness turns 503 at once while the silo keeps serving for
/// <c>Shutdown:DrainSeconds</c>, so a load balancer stops sending new requests before anything
/// stops; then Kestrel finishes the requests in flight and the silo hands its grains off.
/// </summary>
public sealed partial class Draining(IConfiguration configuration, ServiceModeDrain defaults, ILogger<Draining> logger) : IHostedLifecycleService
{
    public bool IsDraining { get; private set; }

    public async Task StoppingAsync(CancellationToken cancellationToken)
    {
        IsDraining = true;
        var seconds = configuration.GetValue<double?>("Shutdown:DrainSeconds") ?? defaults.Seconds;
        // Note: expected on every stop, so Information: readiness answers 503 from now on.
        LogDraining(logger, seconds);
        if (seconds > 0)
        {
            try
            {
                await Task.Delay(TimeSpan.FromSeconds(seconds), cancellationToken);
            }
            catch (OperationCanceledException)
            {
                // The host's shutdown timeout ran out: stop now.
            }
        }
    }

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(EventId = 21, EventName = "Draining", Level = LogLevel.Information, Message = "Stopping: /health/ready answers 503 from now on; serving {Seconds} s more before the silo leaves the cluster")]
    private static partial void LogDraining(ILogger logger, double seconds);
}

/// <summary>The default drain: a few seconds in a cluster (behind a load balancer), none in the sandbox.</summary>
public sealed record ServiceModeDrain(double Seconds);
