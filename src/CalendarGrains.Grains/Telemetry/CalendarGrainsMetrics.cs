using System.Diagnostics.Metrics;

namespace CalendarGrains.Telemetry;

/// <summary>
/// The product's one meter. Labels are small closed sets (outcomes, Google error codes);
/// never an id, a URL or anything secret.
/// </summary>
public sealed class CalendarGrainsMetrics
{
    public const string MeterName = "CalendarGrains";

    /// <summary>The instruments' names, for readers of the same meter (the console's live numbers).</summary>
    public const string TokenRequestsInstrument = "calendargrains.token.requests";

    public const string RefreshesInstrument = "calendargrains.token.refreshes";

    private readonly Counter<long> _tokenRequests;
    private readonly Counter<long> _refreshes;
    private readonly Histogram<double> _refreshDuration;

    public CalendarGrainsMetrics(IMeterFactory meters)
    {
        Meter = meters.Create(MeterName);
        _tokenRequests = Meter.CreateCounter<long>(TokenRequestsInstrument, "{request}",
            "Access-token requests by how they were answered: cache, refreshed, joined (waited on another caller's refresh), or a failure.");
        _refreshes = Meter.CreateCounter<long>(RefreshesInstrument, "{refresh}",
            "Refreshes at Google by result: success, or Google's error code (invalid_grant, invalid_client, ...) or timeout/network_error.");
        _refreshDuration = Meter.CreateHistogram<double>("calendargrains.token.refresh.duration", "s",
            "Time a refresh took at Google, retries included.");
    }

    public Meter Meter { get; }

    public void TokenRequest(string outcome) => _tokenRequests.Add(1, new KeyValuePair<string, object?>("outcome", outcome));

    public void Refresh(string result, TimeSpan duration)
    {
        var tag = new KeyValuePair<string, object?>("result", result);
        _refreshes.Add(1, tag);
        _refreshDuration.Record(duration.TotalSeconds, tag);
    }
}

/// <summary>The closed set of token-request outcomes used as a metric label.</summary>
public static class TokenOutcomes
{
    public const string Cache = "cache";
    public const string Refreshed = "refreshed";
    public const string Joined = "joined";
    public const string StaleServed = "stale_served";
    public const string NeedsReauth = "needs_reauth";
    public const string Unavailable = "unavailable";
    public const string ClientRejected = "client_rejected";
    public const string NotFound = "not_found";
}
