namespace CalendarGrains.Vapi;

/// <summary>A Vapi call, the members the dispatcher acts on.</summary>
/// <param name="Id">Vapi's call id.</param>
/// <param name="Status">Vapi's status string.</param>
/// <param name="EndedReason">Vapi's raw <c>endedReason</c>.</param>
/// <param name="CreatedAt">When Vapi created it (by Vapi's clock).</param>
/// <param name="StartedAt">When it started.</param>
/// <param name="EndedAt">When it ended.</param>
/// <param name="Cost">Its cost (USD), once known.</param>
/// <param name="OurCallId">Our call id from <c>assistantOverrides.metadata.callId</c>, when present.</param>
/// <param name="ConcurrencyBlocked">Vapi created the call but could not start it: every slot of the account was taken.</param>
public sealed record VapiCallInfo(
    string Id,
    string? Status,
    string? EndedReason,
    DateTimeOffset? CreatedAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? EndedAt,
    double? Cost,
    string? OurCallId,
    bool ConcurrencyBlocked)
{
    /// <summary>Vapi's <c>endedReason</c> for a call that never started for lack of a concurrency slot.</summary>
    public const string ConcurrencyLimitReason = "call.start.error-subscription-concurrency-limit-reached";

    /// <summary>Refused for lack of a slot: nobody was dialled, so the call may be placed again.</summary>
    public bool NeverStarted => ConcurrencyBlocked || string.Equals(EndedReason, ConcurrencyLimitReason, StringComparison.Ordinal);
}

/// <summary>What <c>POST /call</c> came to. Expected failures are values, not exceptions.</summary>
public abstract record VapiCreateResult;

/// <summary>201: the call exists at Vapi (it may still be one that Vapi could not start: see <see cref="VapiCallInfo.NeverStarted"/>).</summary>
public sealed record VapiCallCreated(VapiCallInfo Call) : VapiCreateResult;

/// <summary>Definitely not created, but may be later: 429, or Vapi's legacy "Over Concurrency Limit".</summary>
public sealed record VapiCallRefused(string Kind, TimeSpan? RetryAfter) : VapiCreateResult;

/// <summary>Definitely not created, and sending it again would not help (400 validation, 401 key, ...).</summary>
public sealed record VapiCallRejected(string Code, int StatusCode, string Message) : VapiCreateResult;

/// <summary>Nobody can tell whether Vapi created the call (timeout, reset connection, 5xx): reconcile before anything else.</summary>
public sealed record VapiCallAmbiguous(string Kind) : VapiCreateResult;

/// <summary>What a read (<c>GET /call/{id}</c>, <c>GET /call</c>) came to.</summary>
public abstract record VapiReadResult;

public sealed record VapiCallFound(VapiCallInfo Call) : VapiReadResult;

public sealed record VapiCallsListed(IReadOnlyList<VapiCallInfo> Calls) : VapiReadResult;

public sealed record VapiCallNotFound : VapiReadResult;

/// <summary>Vapi did not answer usefully (after the read client's own retries).</summary>
public sealed record VapiUnavailable(string Kind) : VapiReadResult;

/// <summary>The closed set of error kinds used as a metric label and in logs.</summary>
public static class VapiErrorKinds
{
    public const string Timeout = "timeout";
    public const string Network = "network_error";
    public const string ServerError = "server_error";
    public const string RateLimited = "rate_limited";
    public const string ConcurrencyLimit = "concurrency_limit";
    public const string Unauthorized = "unauthorized";
    public const string Rejected = "rejected";
    public const string NotFound = "not_found";
    public const string InvalidResponse = "invalid_response";
}
