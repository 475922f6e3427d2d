using System.Diagnostics.Metrics;
using CalendarGrains.Connections;
using CalendarGrains.Indexing;
using CalendarGrains.Telemetry;

namespace CalendarGrains.Silo.Telemetry;

/// <summary>
/// <c>calendargrains.connections</c> by status, for the whole cluster: counted from the list
/// indexes every 30 seconds (a gauge callback must not wait on Redis). Every silo reports the same
/// cluster-wide figure, so aggregate with max, not sum.
/// </summary>
public sealed class ConnectionStatusGauge(IOrderedIndex index, CalendarGrainsMetrics metrics, ILogger<ConnectionStatusGauge> logger) : BackgroundService
{
    private static readonly TimeSpan Period = TimeSpan.FromSeconds(30);
    private readonly long[] _counts = new long[Enum.GetValues<ConnectionStatus>().Length];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        metrics.Meter.CreateObservableGauge("calendargrains.connections", Observe, "{connection}", "Connections in the cluster by status.");
        using var timer = new PeriodicTimer(Period);
        do
        {
            try
            {
                foreach (var status in Enum.GetValues<ConnectionStatus>())
                {
                    Volatile.Write(ref _counts[(int)status], await index.CountAsync(ConnectionIndexSets.Everywhere(status)));
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                ConnectionStatusGaugeLog.CountFailed(logger, e);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    private IEnumerable<Measurement<long>> Observe() =>
        Enum.GetValues<ConnectionStatus>().Select(status => new Measurement<long>(
            Volatile.Read(ref _counts[(int)status]), new KeyValuePair<string, object?>("status", StatusLabel(status))));

    private static string StatusLabel(ConnectionStatus status) => status switch
    {
        ConnectionStatus.Active => "active",
        ConnectionStatus.NeedsReauth => "needs_reauth",
        _ => "revoked",
    };
}

internal static partial class ConnectionStatusGaugeLog
{
    [LoggerMessage(EventId = 1001, EventName = "ConnectionCountFailed", Level = LogLevel.Warning, Message = "Could not count connections by status")]
    public static partial void CountFailed(ILogger logger, Exception exception);
}
