namespace CalendarGrains.Silo.Hosting;

/// <summary>The <c>Orleans:*</c> settings: cluster identity and the ports this silo uses.</summary>
public sealed class OrleansSettings
{
    public const string Section = "Orleans";

    public string ClusterId { get; set; } = "dev";

    public string ServiceId { get; set; } = "calendargrains";

    public int SiloPort { get; set; } = 11111;

    public int GatewayPort { get; set; } = 30000;

    /// <summary>The address other silos reach this one at; empty lets Orleans pick the host's address.</summary>
    public string? AdvertisedIPAddress { get; set; }

    /// <summary>
    /// Redis mode in a Kubernetes pod: the silo takes its name and address from the pod
    /// (<c>POD_NAME</c>, <c>POD_NAMESPACE</c>, <c>POD_IP</c>) and a silo whose pod is gone is declared dead.
    /// Off unless set: outside a cluster, or without the RBAC it needs, the silo cannot start.
    /// </summary>
    public bool Kubernetes { get; set; }
}
