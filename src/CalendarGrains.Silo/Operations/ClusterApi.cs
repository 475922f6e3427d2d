using CalendarGrains.Silo.Auth;

namespace CalendarGrains.Silo.Operations;

/// <summary><c>GET /v1/cluster</c> (admin): the silos this one sees, as the membership table says.</summary>
public static class ClusterApi
{
    public static IEndpointRouteBuilder MapClusterApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/v1/cluster", GetCluster).RequireAuthorization(AuthPolicies.Admin).WithTags("Operations")
            .WithName("GetCluster").WithSummary("Lists the silos of the cluster and their status, as this silo sees them.");
        return app;
    }

    private static ClusterView GetCluster(IClusterMembershipService membership, ILocalSiloDetails local)
    {
        var snapshot = membership.CurrentSnapshot;
        var silos = snapshot.Members.Values
            .OrderBy(member => member.SiloAddress.ToString(), StringComparer.Ordinal)
            .Select(member => new SiloView(member.SiloAddress.ToParsableString(), member.Name, member.Status.ToString().ToLowerInvariant(), member.SiloAddress.Equals(local.SiloAddress)))
            .ToList();
        return new ClusterView(local.ClusterId, snapshot.Version.Value, silos);
    }

    public sealed record ClusterView(string ClusterId, long MembershipVersion, IReadOnlyList<SiloView> Silos);

    public sealed record SiloView(string Address, string Name, string Status, bool IsThisSilo);
}
