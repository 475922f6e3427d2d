using Microsoft.Extensions.Options;

namespace CalendarGrains.Webhooks;

/// <summary>Refuses to start with settings that would break the delivery promise of docs/api.md, naming the setting.</summary>
public sealed class WebhookOptionsValidator : IValidateOptions<WebhookOptions>
{
    /// <summary>docs/api.md promises retries for at least 24 hours.</summary>
    public static readonly TimeSpan MinimumRetention = TimeSpan.FromHours(24);

    public ValidateOptionsResult Validate(string? name, WebhookOptions options)
    {
        var failures = new List<string>();
        if (options.QueueCapacity < 1)
        {
            failures.Add("Webhooks:QueueCapacity must be at least 1.");
        }

        if (options.RetryDelays.Any(delay => delay <= TimeSpan.Zero))
        {
            failures.Add("Webhooks:RetryDelays must all be positive durations (e.g. 00:00:05).");
        }

        if (options.Jitter is < 0 or > 0.5)
        {
            failures.Add("Webhooks:Jitter must be between 0 and 0.5.");
        }

        if (options.Retention < MinimumRetention)
        {
            failures.Add($"Webhooks:Retention must be at least {MinimumRetention} (webhooks are retried for at least 24 hours).");
        }

        if (options.MaxConcurrentDeliveries is < 1 or > 64)
        {
            failures.Add("Webhooks:MaxConcurrentDeliveries must be between 1 and 64.");
        }

        if (options.AttemptTimeout <= TimeSpan.Zero || options.AttemptTimeout > TimeSpan.FromMinutes(1))
        {
            failures.Add("Webhooks:AttemptTimeout must be positive and at most 1 minute (a slow endpoint must not hold the outbox).");
        }

        if (options.ReminderPeriod <= TimeSpan.Zero)
        {
            failures.Add("Webhooks:ReminderPeriod must be positive (and not under Orleans' minimum reminder period, 1 minute by default).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
