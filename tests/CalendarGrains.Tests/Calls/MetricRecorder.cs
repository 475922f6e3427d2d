using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using CalendarGrains.Telemetry;

namespace CalendarGrains.Tests.Calls;

/// <summary>Records the product meter's long-valued measurements of one instrument, with their tags.</summary>
public sealed class MetricRecorder : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentQueue<(long Value, Dictionary<string, object?> Tags)> _measurements = new();

    public MetricRecorder(string instrument)
    {
        _listener.InstrumentPublished = (published, listener) =>
        {
            if (published.Meter.Name == CalendarGrainsMetrics.MeterName && published.Name == instrument)
            {
                listener.EnableMeasurementEvents(published);
            }
        };
        _listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            var copy = new Dictionary<string, object?>(StringComparer.Ordinal);
            foreach (var tag in tags)
            {
                copy[tag.Key] = tag.Value;
            }

            _measurements.Enqueue((value, copy));
        });
        _listener.Start();
    }

    /// <summary>The values recorded with <paramref name="tag"/> = <paramref name="value"/>, in order.</summary>
    public IReadOnlyList<long> Where(string tag, string value) =>
        [.. _measurements.Where(m => m.Tags.TryGetValue(tag, out var v) && Equals(v, value)).Select(m => m.Value)];

    public void Dispose() => _listener.Dispose();
}
