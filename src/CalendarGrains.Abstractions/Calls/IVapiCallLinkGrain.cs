namespace CalendarGrains.Calls;

/// <summary>
/// One grain per Vapi call id: which of our calls it is. Server messages normally carry our call
/// id in <c>assistantOverrides.metadata</c>; this finds the call when one does not.
/// </summary>
[Alias("cg.IVapiCallLinkGrain")]
public interface IVapiCallLinkGrain : IGrainWithStringKey
{
    Task LinkAsync(string tenantId, string callId);

    [ReadOnly]
    Task<VapiCallLink?> GetAsync();
}

[GenerateSerializer, Immutable, Alias("cg.VapiCallLink")]
public sealed record VapiCallLink(
    [property: Id(0)] string TenantId,
    [property: Id(1)] string CallId);
