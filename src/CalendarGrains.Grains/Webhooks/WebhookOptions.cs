namespace CalendarGrains.Webhooks;

/// <summary>The <c>Webhooks:*</c> settings of the outbox: how long and how often it retries, and its bounds.</summary>
public sealed class WebhookOptions
{
    public const string Section = "Webhooks";

    /// <summary>Pending events kept per tenant; beyond it the oldest is dropped.</summary>
    public int QueueCapacity { get; set; } = 10_000;

    /// <summary>
    /// The wait after the 1st, 2nd, ... failed attempt; the last one repeats. Empty means
    /// <see cref="DefaultRetryDelays"/> (a bound list is appended to, never replaced, by the
    /// configuration binder, so the default is applied after binding).
    /// </summary>
    public List<TimeSpan> RetryDelays { get; set; } = [];

    /// <summary>Each delay is stretched or shrunk by up to this fraction at random, so retries of many events spread out.</summary>
    public double Jitter { get; set; } = 0.2;

    /// <summary>How long after it was first enqueued an event is still retried; then it is dropped.</summary>
    public TimeSpan Retention { get; set; } = TimeSpan.FromHours(72);

    /// <summary>Attempts in flight at once per tenant.</summary>
    public int MaxConcurrentDeliveries { get; set; } = 4;

    /// <summary>
    /// Let tenants' webhook URLs (ours and Nango's) reach loopback, private, link-local and other
    /// internal addresses. Off by default: a tenant's URL must not reach the operator's network or
    /// a cloud metadata service (<see cref="Security.OutboundAddressPolicy"/>). The sandbox turns it
    /// on, where receivers run on loopback.
    /// </summary>
    public bool AllowPrivateNetworks { get; set; }

    /// <summary>The whole of one HTTP attempt (connect, send, response headers).</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Period of the reminder that wakes an outbox with pending events after a restart or a
    /// deactivation. Orleans refuses periods under <c>ReminderOptions.MinimumReminderPeriod</c> (1 minute).
    /// </summary>
    public TimeSpan ReminderPeriod { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>5 s, 30 s, 2 min, 10 min, 30 min, then hourly.</summary>
    public static IReadOnlyList<TimeSpan> DefaultRetryDelays { get; } =
    [
        TimeSpan.FromSeconds(5),
        TimeSpan.FromSeconds(30),
        TimeSpan.FromMinutes(2),
        TimeSpan.FromMinutes(10),
        TimeSpan.FromMinutes(30),
        TimeSpan.FromHours(1),
    ];
}
