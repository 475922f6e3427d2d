using Microsoft.Extensions.Options;

namespace CalendarGrains.Connections;

/// <summary>The <c>ConnectSessions:*</c> settings: how long a connect link and one trip to Google may take.</summary>
public sealed class ConnectSessionOptions
{
    public const string Section = "ConnectSessions";

    /// <summary>How long the connect link works.</summary>
    public TimeSpan Lifetime { get; set; } = ConnectSessions.Lifetime;

    /// <summary>How long one trip to Google may take (the life of the <c>state</c> it carries).</summary>
    public TimeSpan ConsentTimeout { get; set; } = ConnectSessions.StateLifetime;

    /// <summary>
    /// How long a session's record stays in Redis after its last write: a trip started just before
    /// the link expires may still come back, and after that nothing can use the record. (A Nango
    /// Connect session lasts Nango's 30 minutes; a <see cref="Lifetime"/> set shorter cuts it short too.)
    /// </summary>
    public TimeSpan RecordLifetime => Lifetime + ConsentTimeout;
}

public sealed class ConnectSessionOptionsValidator : IValidateOptions<ConnectSessionOptions>
{
    public ValidateOptionsResult Validate(string? name, ConnectSessionOptions options)
    {
        var failures = new List<string>();
        if (options.Lifetime <= TimeSpan.Zero || options.Lifetime > TimeSpan.FromDays(7))
        {
            failures.Add($"{ConnectSessionOptions.Section}:{nameof(options.Lifetime)} must be a positive time span of at most 7 days (e.g. 01:00:00).");
        }

        if (options.ConsentTimeout <= TimeSpan.Zero || options.ConsentTimeout > TimeSpan.FromDays(1))
        {
            failures.Add($"{ConnectSessionOptions.Section}:{nameof(options.ConsentTimeout)} must be a positive time span of at most 1 day (e.g. 00:10:00).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
