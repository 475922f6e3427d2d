using System.Diagnostics.Metrics;
using CalendarGrains.Calls;

namespace CalendarGrains.Telemetry;

/// <summary>
/// The call-dispatch instruments, on the product's meter (<see cref="CalendarGrainsMetrics.MeterName"/>).
/// </summary>
/// <remarks>
/// Note: the queue gauges carry a <c>tenant</c> label, the one id the product's metrics allow:
/// tenants are few and created by the operator (one series each), and per-tenant queue length is
/// what an operator needs to see which platform is saturating its Vapi account. Never a call id.
/// </remarks>
public sealed class CallMetrics
{
    private readonly Counter<long> _statusChanges;
    private readonly Histogram<double> _dispatchLatency;
    private readonly Gauge<long> _queueLength;
    private readonly Gauge<long> _liveCalls;
    private readonly Counter<long> _vapiErrors;
    private readonly Counter<long> _reconciliations;

    public CallMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(CalendarGrainsMetrics.MeterName);
        _statusChanges = meter.CreateCounter<long>("calendargrains.calls.status_changes", "{call}",
            "Calls entering each status (pending, dispatching, queued, ringing, in-progress, forwarding, ended, failed, canceled).");
        _dispatchLatency = meter.CreateHistogram<double>("calendargrains.calls.dispatch.latency", "s",
            "From the moment a call may start (accepted, or its scheduled time) until Vapi has it, queue wait and reconciliation included.");
        _queueLength = meter.CreateGauge<long>("calendargrains.calls.queue.length", "{call}",
            "Calls of a tenant waiting for a concurrency slot.");
        _liveCalls = meter.CreateGauge<long>("calendargrains.calls.live", "{call}",
            "Concurrency slots of a tenant in use (calls dispatched to Vapi and not yet ended).");
        _vapiErrors = meter.CreateCounter<long>("calendargrains.vapi.errors", "{error}",
            "Failed Vapi requests by operation (create, get, list) and kind (timeout, network_error, server_error, rate_limited, concurrency_limit, unauthorized, rejected, invalid_response).");
        _reconciliations = meter.CreateCounter<long>("calendargrains.calls.reconciliations", "{reconciliation}",
            "Reconciliations after an ambiguous POST /call, by result: found, absent (sent again), retry (not decided yet).");
    }

    public void StatusChanged(CallStatus status) =>
        _statusChanges.Add(1, new KeyValuePair<string, object?>("status", CallStatuses.WireName(status)));

    public void Dispatched(TimeSpan latency) => _dispatchLatency.Record(Math.Max(0, latency.TotalSeconds));

    public void Queue(string tenantId, long waiting, int live)
    {
        var tenant = new KeyValuePair<string, object?>("tenant", tenantId);
        _queueLength.Record(waiting, tenant);
        _liveCalls.Record(live, tenant);
    }

    public void VapiError(string operation, string kind) => _vapiErrors.Add(
        1, new KeyValuePair<string, object?>("operation", operation), new KeyValuePair<string, object?>("kind", kind));

    public void Reconciled(string result) => _reconciliations.Add(1, new KeyValuePair<string, object?>("result", result));
}
