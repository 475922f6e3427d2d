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
}
