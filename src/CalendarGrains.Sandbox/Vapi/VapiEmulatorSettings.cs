namespace CalendarGrains.Sandbox.Vapi;

/// <summary>
/// The emulator's behaviour switches. Immutable: change them with
/// <c>emulator.Configure(s =&gt; s with { ... })</c>. Defaults suit a person watching the sandbox.
/// </summary>
public sealed record VapiEmulatorSettings
{
    public VapiLifecycleMode Lifecycle { get; init; } = VapiLifecycleMode.Automatic;

    /// <summary>Automatic mode: time a call waits in <c>queued</c> (or, for a scheduled call, after it is due) before it dials.</summary>
    public TimeSpan QueuedDuration { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Automatic mode: time a call rings before it is answered or given up.</summary>
    public TimeSpan RingingDuration { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>Automatic mode: talk time of an answered call.</summary>
    public TimeSpan InProgressDuration { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Vapi's eventual consistency: for this long after creation <c>GET /call/{id}</c> answers 404
    /// and <c>GET /call</c> leaves the call out.
    /// </summary>
    public TimeSpan VisibilityDelay { get; init; } = TimeSpan.Zero;

    /// <summary>Off: no server messages are sent at all (they are counted as skipped).</summary>
    public bool WebhooksEnabled { get; init; } = true;

    /// <summary>Send every server message twice, back to back.</summary>
    public bool DuplicateWebhooks { get; init; }

    /// <summary>
    /// Swap neighbours: each message is held back and sent just after the call's next one
    /// (e.g. <c>in-progress</c> before <c>ringing</c>, the end-of-call-report before <c>ended</c>).
    /// </summary>
    public bool OutOfOrderWebhooks { get; init; }

    /// <summary>
    /// Over the concurrency limit, answer the legacy <c>400 "Over Concurrency Limit"</c> instead of creating
    /// a call that ends at once with <c>call.start.error-subscription-concurrency-limit-reached</c>.
    /// </summary>
    public bool LegacyConcurrencyError { get; init; }

    /// <summary>The outcome of a call whose customer number has no outcome of its own.</summary>
    public VapiCallOutcome DefaultOutcome { get; init; } = VapiCallOutcome.Completed;
}
