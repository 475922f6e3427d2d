using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace CalendarGrains.Silo.Operations;

/// <summary>
/// Ready when this silo is Active in the cluster's membership view (Orleans has no built-in check).
/// A draining silo is answered unready before this runs (<see cref="OperationsApi"/>).
/// </summary>
public sealed class SiloReadinessCheck(IClusterMembershipService membership, ILocalSiloDetails silo) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var status = membership.CurrentSnapshot.GetSiloStatus(silo.SiloAddress);
        return Task.FromResult(status == SiloStatus.Active
            ? HealthCheckResult.Healthy("The silo is active.")
            : HealthCheckResult.Unhealthy($"The silo is {status}."));
    }
}
