using System.Globalization;

namespace CalendarGrains.Sandbox.Vapi.Controls;

/// <summary><c>POST {prefix}/_emulator/accounts</c>.</summary>
public sealed record AccountRegistration(string ApiKey, int? ConcurrencyLimit, Uri? ServerUrl, string? ServerSecret);

/// <summary><c>POST {prefix}/_emulator/accounts/{orgId}/keys</c>.</summary>
public sealed record ApiKeyAddition(string ApiKey);

/// <summary><c>POST {prefix}/_emulator/faults/fail-next</c>.</summary>
public sealed record FailNextRequest(int Count, int StatusCode, double? RetryAfterSeconds);

/// <summary><c>POST {prefix}/_emulator/faults/drop-next</c>.</summary>
public sealed record DropNextRequest(int Count);

/// <summary><c>POST {prefix}/_emulator/calls/{id}/complete</c>: an outcome name (<c>completed</c>, <c>no-answer</c>, ...) or its endedReason.</summary>
public sealed record CompleteRequest(string Outcome);

/// <summary><c>GET/PUT {prefix}/_emulator/outcomes</c>: on PUT, a null entry in <see cref="ByNumber"/> removes that number.</summary>
public sealed record OutcomesDocument(string? Default, IReadOnlyDictionary<string, string?>? ByNumber);

/// <summary><c>GET {prefix}/_emulator/stats</c>.</summary>
public sealed record StatsDocument(VapiEmulatorCounters Counters, IReadOnlyList<VapiAccountInfo> Accounts);

/// <summary>
/// <c>GET/PUT {prefix}/_emulator/settings</c>: durations in seconds, the lifecycle as <c>automatic</c>/<c>manual</c>.
/// On PUT, absent members keep their value.
/// </summary>
public sealed record SettingsDocument(
    string? Lifecycle,
    double? QueuedSeconds,
    double? RingingSeconds,
    double? InProgressSeconds,
    double? VisibilityDelaySeconds,
    bool? WebhooksEnabled,
    bool? DuplicateWebhooks,
    bool? OutOfOrderWebhooks,
    bool? LegacyConcurrencyError,
    string? DefaultOutcome)
{
    public static SettingsDocument From(VapiEmulatorSettings settings) => new(
        settings.Lifecycle.ToString().ToLowerInvariant(),
        settings.QueuedDuration.TotalSeconds,
        settings.RingingDuration.TotalSeconds,
        settings.InProgressDuration.TotalSeconds,
        settings.VisibilityDelay.TotalSeconds,
        settings.WebhooksEnabled,
        settings.DuplicateWebhooks,
        settings.OutOfOrderWebhooks,
        settings.LegacyConcurrencyError,
        settings.DefaultOutcome.Name);

    /// <exception cref="FormatException">A member has a value the emulator does not know.</exception>
    public VapiEmulatorSettings ApplyTo(VapiEmulatorSettings settings) => settings with
    {
        Lifecycle = Lifecycle is null ? settings.Lifecycle : ParseLifecycle(Lifecycle),
        QueuedDuration = Seconds(QueuedSeconds) ?? settings.QueuedDuration,
        RingingDuration = Seconds(RingingSeconds) ?? settings.RingingDuration,
        InProgressDuration = Seconds(InProgressSeconds) ?? settings.InProgressDuration,
        VisibilityDelay = Seconds(VisibilityDelaySeconds) ?? settings.VisibilityDelay,
        WebhooksEnabled = WebhooksEnabled ?? settings.WebhooksEnabled,
        DuplicateWebhooks = DuplicateWebhooks ?? settings.DuplicateWebhooks,
        OutOfOrderWebhooks = OutOfOrderWebhooks ?? settings.OutOfOrderWebhooks,
        LegacyConcurrencyError = LegacyConcurrencyError ?? settings.LegacyConcurrencyError,
        DefaultOutcome = DefaultOutcome is null ? settings.DefaultOutcome : ControlParsing.Outcome(DefaultOutcome),
    };

    private static VapiLifecycleMode ParseLifecycle(string text) =>
        Enum.TryParse<VapiLifecycleMode>(text, ignoreCase: true, out var mode) && Enum.IsDefined(mode)
            ? mode
            : throw new FormatException($"lifecycle must be \"automatic\" or \"manual\", not \"{text}\".");

    private static TimeSpan? Seconds(double? seconds) => seconds switch
    {
        null => null,
        < 0 or > 86_400 => throw new FormatException(string.Create(CultureInfo.InvariantCulture, $"{seconds} is not a duration between 0 and 86400 seconds.")),
        { } value => TimeSpan.FromSeconds(value),
    };
}

/// <summary>Reads control values that have names.</summary>
internal static class ControlParsing
{
    /// <exception cref="FormatException">Not a well-known outcome.</exception>
    public static VapiCallOutcome Outcome(string text) =>
        VapiCallOutcome.TryParse(text, out var outcome)
            ? outcome
            : throw new FormatException(
                $"\"{text}\" is not an outcome; use one of {string.Join(", ", VapiCallOutcome.WellKnown.Select(known => known.Name))} or their endedReason.");
}
