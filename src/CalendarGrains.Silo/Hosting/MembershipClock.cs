using System.Diagnostics;

namespace CalendarGrains.Silo.Hosting;

/// <summary>
/// Orleans' membership clock (<c>TimeProviderNames.Membership</c>: membership, health monitoring,
/// the watchdog), with timestamps counted from its first use instead of from the machine's boot.
/// </summary>
/// <remarks>
/// Note: works around a start-up race in Orleans' <c>Watchdog</c> (10.4.2, still in its main
/// branch): <c>Start()</c> starts the platform thread before it records the component thread's first
/// timestamp, so the platform thread's first check can measure from timestamp 0, i.e. the machine's
/// uptime, and warn "Participant check thread has not completed for 04:39:39" at every start.
/// Counted from this clock's first use (the watchdog's own start, or membership's a moment before),
/// that first measurement is a few seconds, under the warning's threshold (twice
/// <c>ClusterMembershipOptions.LocalHealthDegradationMonitoringPeriod</c>, 20 s by default). Orleans
/// only ever subtracts these timestamps, so the offset changes nothing else; wall-clock time and
/// timers are the system's. Remove it once Orleans records both timestamps before starting the
/// threads (docs/upstream/orleans-watchdog-start-race.md).
/// </remarks>
public sealed class MembershipClock : TimeProvider
{
    private long _origin;

    public override long GetTimestamp()
    {
        var now = Stopwatch.GetTimestamp();
        var origin = Interlocked.CompareExchange(ref _origin, now, 0);
        return now - (origin == 0 ? now : origin) + 1;
    }
}
