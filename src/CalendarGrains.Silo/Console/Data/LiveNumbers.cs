using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using CalendarGrains.Common;
using CalendarGrains.Telemetry;

namespace CalendarGrains.Silo.WebConsole.Data;

/// <summary>
/// Token hand-outs, refreshes and Google's errors per minute, read from the very instruments
/// <c>/metrics</c> exports (<see cref="CalendarGrainsMetrics"/>) with a <see cref="MeterListener"/>:
/// no second count is kept anywhere in the code that hands out tokens. This silo's figures: each
/// silo listens to its own meters (Prometheus sums them over the cluster).
/// </summary>
public sealed class LiveNumbers : IDisposable
{
    /// <summary>Google's error codes are Google's strings: beyond this many distinct ones, the rest count as "other".</summary>
    private const int MaxErrorCodes = 16;

    private static readonly HashSet<string> HandedOut = new(StringComparer.Ordinal)
    {
        TokenOutcomes.Cache, TokenOutcomes.Refreshed, TokenOutcomes.Joined, TokenOutcomes.StaleServed,
    };

    private readonly MeterListener _listener;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<string, MinuteSeries> _googleErrors = new(StringComparer.Ordinal);

    public LiveNumbers(IMeterFactory meters, [FromKeyedServices(ServiceTime.Key)] TimeProvider time)
    {
        _time = time;
        _listener = new MeterListener
        {
            // Note: only this host's meters (a test process may run several hosts, each with its own factory).
            InstrumentPublished = (instrument, listener) =>
            {
                if (ReferenceEquals(instrument.Meter.Scope, meters) && instrument.Meter.Name == CalendarGrainsMetrics.MeterName &&
                    instrument.Name is CalendarGrainsMetrics.TokenRequestsInstrument or CalendarGrainsMetrics.RefreshesInstrument)
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            },
        };
        _listener.SetMeasurementEventCallback<long>(OnMeasurement);
        _listener.Start();
    }

    /// <summary>Access tokens given to callers (from the cache, a refresh, or a refresh another caller started).</summary>
    public MinuteSeries Handouts { get; } = new();

    /// <summary>Token requests answered with a failure (needs reauth, Google unavailable, client rejected).</summary>
    public MinuteSeries FailedRequests { get; } = new();

    /// <summary>Refreshes Google answered with a token.</summary>
    public MinuteSeries Refreshes { get; } = new();

    public long CurrentMinute => _time.GetUtcNow().ToUnixTimeSeconds() / 60;

    /// <summary>Google's refresh errors by code, most frequent in the last hour first.</summary>
    public IReadOnlyList<(string Code, long[] PerMinute)> GoogleErrors()
    {
        var minute = CurrentMinute;
        return [.. _googleErrors
            .Select(pair => (pair.Key, PerMinute: pair.Value.LastHour(minute)))
            .Where(series => series.PerMinute.Any(count => count > 0))
            .OrderByDescending(series => series.PerMinute.Sum())
            .ThenBy(series => series.Key, StringComparer.Ordinal)];
    }

    private void OnMeasurement(Instrument instrument, long value, ReadOnlySpan<KeyValuePair<string, object?>> tags, object? state)
    {
        var minute = CurrentMinute;
        if (instrument.Name == CalendarGrainsMetrics.TokenRequestsInstrument)
        {
            var outcome = Tag(tags, "outcome");
            if (outcome is null || outcome == TokenOutcomes.NotFound)
            {
                return;
            }

            (HandedOut.Contains(outcome) ? Handouts : FailedRequests).Add(minute, value);
        }
        else if (Tag(tags, "result") is { } result)
        {
            if (result == "success")
            {
                Refreshes.Add(minute, value);
                return;
            }

            var code = _googleErrors.Count < MaxErrorCodes || _googleErrors.ContainsKey(result) ? result : "other";
            _googleErrors.GetOrAdd(code, _ => new MinuteSeries()).Add(minute, value);
        }
    }

    private static string? Tag(ReadOnlySpan<KeyValuePair<string, object?>> tags, string name)
    {
        foreach (var tag in tags)
        {
            if (tag.Key == name)
            {
                return tag.Value as string;
            }
        }

        return null;
    }

    public void Dispose() => _listener.Dispose();
}
