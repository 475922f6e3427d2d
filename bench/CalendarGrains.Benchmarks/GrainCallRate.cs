using System.Diagnostics;
using CalendarGrains.Connections;

namespace CalendarGrains.Benchmarks;

/// <summary>Cached-token grain calls per second from inside the silo, with many concurrent callers.</summary>
public static class GrainCallRate
{
    public static async Task<double> MeasureAsync(IGrainFactory grains, string tenantId, string connectionId, int callers, TimeSpan duration)
    {
        var grain = grains.Connection(tenantId, connectionId);
        var request = new TokenRequest();
        long calls = 0;
        using var stop = new CancellationTokenSource(duration);
        var watch = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, callers).Select(async _ =>
        {
            long mine = 0;
            while (!stop.IsCancellationRequested)
            {
                if (await grain.GetAccessTokenAsync(tenantId, request) is not TokenIssued)
                {
                    throw new InvalidOperationException("The benchmark connection did not answer from its cache.");
                }

                mine++;
            }

            Interlocked.Add(ref calls, mine);
        }));
        return calls / watch.Elapsed.TotalSeconds;
    }
}
