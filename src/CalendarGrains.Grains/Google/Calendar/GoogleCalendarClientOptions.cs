namespace CalendarGrains.Google.Calendar;

/// <summary>Timeouts and read retries of <see cref="GoogleCalendarClient"/>.</summary>
public sealed class GoogleCalendarClientOptions
{
    /// <summary>How long one HTTP attempt may take, reads and inserts alike. Default 10 s.</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Retries after a read's first attempt (429, 403 rate limits, 408, 5xx, timeouts, network errors). Default 2.</summary>
    public int ReadRetries { get; set; } = 2;

    /// <summary>First back-off of a read retry; it doubles, with jitter. Default 500 ms.</summary>
    public TimeSpan ReadRetryDelay { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// The longest wait before a read retry, including one Google asks for with <c>Retry-After</c>: a
    /// voice assistant cannot hold a caller for a minute. Default 4 s.
    /// </summary>
    public TimeSpan ReadRetryMaxDelay { get; set; } = TimeSpan.FromSeconds(4);

    /// <summary>All attempts and waits of one read together. Default 30 s.</summary>
    public TimeSpan ReadTotalTimeout { get; set; } = TimeSpan.FromSeconds(30);

    internal IEnumerable<string> Problems()
    {
        if (AttemptTimeout <= TimeSpan.Zero)
        {
            yield return "AttemptTimeout must be positive.";
        }

        if (ReadRetries is < 0 or > 10)
        {
            yield return "ReadRetries must be 0 to 10.";
        }

        if (ReadRetryDelay <= TimeSpan.Zero || ReadRetryMaxDelay < ReadRetryDelay)
        {
            yield return "ReadRetryDelay must be positive and at most ReadRetryMaxDelay.";
        }

        if (ReadTotalTimeout < AttemptTimeout)
        {
            yield return "ReadTotalTimeout must be at least AttemptTimeout.";
        }
    }
}
