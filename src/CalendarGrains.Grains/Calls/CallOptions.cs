using Microsoft.Extensions.Options;

namespace CalendarGrains.Calls;

/// <summary>The <c>Calls:*</c> settings: how calls are dispatched, reconciled and watched.</summary>
public sealed class CallOptions
{
    public const string Section = "Calls";

    /// <summary>The whole of one <c>POST /call</c>. It is never retried blindly, so a timeout means "reconcile".</summary>
    public TimeSpan DispatchTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>The whole of one read (<c>GET /call</c>, <c>GET /call/{id}</c>), its retries included.</summary>
    public TimeSpan ReadTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Wait between two reconciliation attempts after an ambiguous <c>POST /call</c>.</summary>
    public TimeSpan ReconcileDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// How long after <c>POST /call</c> a call may still be missing from Vapi's lists (Vapi is
    /// eventually consistent: a 404 soon after creation means "not visible yet"). Only after this
    /// long without a trace of the call does the dispatcher conclude Vapi has none and send again.
    /// </summary>
    public TimeSpan VisibilityGrace { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Attempts to place one call whose outcome stayed unknown, before it is failed.</summary>
    public int MaxDispatchAttempts { get; set; } = 5;

    /// <summary>Period of each call's and each queue's watch reminder (at least the reminder service's minimum).</summary>
    public TimeSpan WatchInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// How long a waiting call trusts its queue's word that it has its place in line. The queue
    /// keeps the line durably, so a call asserts its place when it is put in line, after a failure
    /// to reach the queue, once per activation, and then only when this has passed: its watch ticks
    /// do not each cost the tenant's queue a call.
    /// </summary>
    public TimeSpan LineLease { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>A scheduled call's reminder re-checks its time at least this often, and fires at the exact time in the last stretch.</summary>
    public TimeSpan ScheduleCheckInterval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>A live call with no message from Vapi for this long is polled with <c>GET /call/{id}</c>.</summary>
    public TimeSpan PollAfterSilence { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>After <c>ended</c>, how long to wait for the end-of-call report (cost, times) before <c>call.ended</c> goes out without it.</summary>
    public TimeSpan EndOfCallReportWait { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>First wait after a 429 or concurrency refusal without Retry-After; doubles per refusal in a row.</summary>
    public TimeSpan RefusalBackoff { get; set; } = TimeSpan.FromSeconds(2);

    public TimeSpan MaxRefusalBackoff { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// <c>POST /call</c>s one tenant may have under way at once. With 1 (the default) calls reach Vapi
    /// strictly in the order they were queued, and a burst is paced to one request at a time.
    /// </summary>
    public int MaxDispatchesInFlightPerTenant { get; set; } = 1;

    /// <summary>How far ahead <c>scheduledAt</c> may be.</summary>
    public TimeSpan MaxScheduleAhead { get; set; } = TimeSpan.FromDays(30);

    /// <summary>
    /// How long an <c>Idempotency-Key</c> keeps meaning its call (Stripe's 24 hours by default).
    /// After that the key is free again and its record leaves Redis, so a platform placing
    /// millions of calls does not keep a key per call for ever.
    /// </summary>
    public TimeSpan IdempotencyKeyRetention { get; set; } = TimeSpan.FromHours(24);
}

public sealed class CallOptionsValidator : IValidateOptions<CallOptions>
{
    public ValidateOptionsResult Validate(string? name, CallOptions options)
    {
        var failures = new List<string>();
        Positive(options.DispatchTimeout, nameof(options.DispatchTimeout));
        Positive(options.ReadTimeout, nameof(options.ReadTimeout));
        Positive(options.ReconcileDelay, nameof(options.ReconcileDelay));
        Positive(options.WatchInterval, nameof(options.WatchInterval));
        Positive(options.LineLease, nameof(options.LineLease));
        Positive(options.ScheduleCheckInterval, nameof(options.ScheduleCheckInterval));
        Positive(options.PollAfterSilence, nameof(options.PollAfterSilence));
        Positive(options.RefusalBackoff, nameof(options.RefusalBackoff));
        Positive(options.MaxScheduleAhead, nameof(options.MaxScheduleAhead));
        Positive(options.IdempotencyKeyRetention, nameof(options.IdempotencyKeyRetention));
        if (options.VisibilityGrace < TimeSpan.Zero || options.EndOfCallReportWait < TimeSpan.Zero)
        {
            failures.Add($"{Section(nameof(options.VisibilityGrace))} and {Section(nameof(options.EndOfCallReportWait))} must not be negative.");
        }

        if (options.MaxRefusalBackoff < options.RefusalBackoff)
        {
            failures.Add($"{Section(nameof(options.MaxRefusalBackoff))} must be at least {Section(nameof(options.RefusalBackoff))}.");
        }

        if (options.MaxDispatchAttempts < 1 || options.MaxDispatchesInFlightPerTenant < 1)
        {
            failures.Add($"{Section(nameof(options.MaxDispatchAttempts))} and {Section(nameof(options.MaxDispatchesInFlightPerTenant))} must be at least 1.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);

        void Positive(TimeSpan value, string member)
        {
            if (value <= TimeSpan.Zero)
            {
                failures.Add($"{Section(member)} must be a positive time span (e.g. 00:00:15).");
            }
        }
    }

    private static string Section(string member) => $"{CallOptions.Section}:{member}";
}
