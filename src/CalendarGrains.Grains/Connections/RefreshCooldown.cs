using CalendarGrains.Common;
using CalendarGrains.Google;

namespace CalendarGrains.Connections;

/// <summary>
/// How long a connection waits before asking Google again after a failed refresh: growing with
/// each consecutive failure, capped, with jitter so that many connections failing together (a
/// Google outage) do not come back in lockstep. At the cap a broken connection costs Google at
/// most a few hundred calls a day, not tens of thousands.
/// </summary>
public static class RefreshCooldown
{
    public static readonly TimeSpan TransientBase = TimeSpan.FromSeconds(5);
    public static readonly TimeSpan TransientCap = TimeSpan.FromMinutes(5);
    public static readonly TimeSpan ConfigurationBase = TimeSpan.FromMinutes(1);
    public static readonly TimeSpan ConfigurationCap = TimeSpan.FromMinutes(15);

    public static TimeSpan After(GoogleFailureKind kind, int consecutiveFailures)
    {
        var (first, cap) = kind == GoogleFailureKind.Transient ? (TransientBase, TransientCap) : (ConfigurationBase, ConfigurationCap);
        // Never shorter than the step: up to 20 % longer.
        return DurableBackoff.Jitter(DurableBackoff.Exponential(first, cap, consecutiveFailures), 1.0, 1.2, Random.Shared.NextDouble());
    }

    public static string Describe(GoogleFailureKind kind) => kind switch
    {
        GoogleFailureKind.InvalidGrant => "Google no longer accepts this grant: the user must connect again.",
        GoogleFailureKind.InvalidClient => "Google rejected the tenant's OAuth client: check its client id and secret.",
        GoogleFailureKind.Transient => "Google did not answer successfully; the refresh will be tried again.",
        _ => "Google refused the request.",
    };
}
