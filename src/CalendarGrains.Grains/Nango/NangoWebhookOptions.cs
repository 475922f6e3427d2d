using Microsoft.Extensions.Options;

namespace CalendarGrains.Nango;

/// <summary>
/// <c>Nango:Webhooks:*</c>. Defaults are Nango's own: two retries after the first attempt, from 3 s
/// doubling, on a network failure or a 5xx (a 4xx is the handler's answer and final), 20 s per attempt.
/// </summary>
public sealed class NangoWebhookOptions
{
    public const string Section = "Nango:Webhooks";

    public int Retries { get; set; } = 2;

    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(3);

    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>Events waiting on this silo; beyond it new ones are dropped (and logged).</summary>
    public int QueueCapacity { get; set; } = 10_000;

    /// <summary>Deliveries under way at once on this silo.</summary>
    public int Concurrency { get; set; } = 8;

    internal sealed class Validator : IValidateOptions<NangoWebhookOptions>
    {
        public ValidateOptionsResult Validate(string? name, NangoWebhookOptions options) =>
            options is { Retries: >= 0 and <= 10, QueueCapacity: > 0, Concurrency: > 0 }
            && options.RetryDelay > TimeSpan.Zero && options.AttemptTimeout > TimeSpan.Zero
                ? ValidateOptionsResult.Success
                : ValidateOptionsResult.Fail($"{Section}: Retries must be 0 to 10; RetryDelay, AttemptTimeout, QueueCapacity and Concurrency positive.");
    }
}
