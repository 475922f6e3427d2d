using System.Security.Claims;
using CalendarGrains.Silo.Auth;
using CalendarGrains.Tenants;

namespace CalendarGrains.Silo.Nango;

/// <summary>
/// <c>GET /integrations</c> (<c>nango.listIntegrations()</c>) and <c>GET /integrations/{uniqueKey}</c>:
/// a tenant has one integration, Google Calendar with its own OAuth client.
/// </summary>
public static class NangoIntegrationsApi
{
    /// <summary>The logo Nango answers for this provider; clients show it, we serve no images.</summary>
    private const string Logo = "https://app.nango.dev/images/template-logos/google-calendar.svg";

    public static RouteGroupBuilder MapNangoIntegrationsApi(this RouteGroupBuilder nango)
    {
        nango.MapGet("/integrations", ListAsync).WithName("NangoListIntegrations")
            .WithSummary("Nango: the tenant's integrations (google-calendar).");
        nango.MapGet("/integrations/{uniqueKey}", GetAsync).WithName("NangoGetIntegration")
            .WithSummary("Nango: one integration (google-calendar).");
        return nango;
    }

    private static async Task<IResult> ListAsync(ClaimsPrincipal user, IGrainFactory grains)
    {
        var tenant = await grains.GetGrain<ITenantGrain>(user.TenantId()).GetAsync();
        return NangoJson.Ok(new NangoData<IReadOnlyList<NangoIntegration>>(tenant is null ? [] : [Of(tenant)]));
    }

    private static async Task<IResult> GetAsync(string uniqueKey, ClaimsPrincipal user, IGrainFactory grains)
    {
        var tenant = NangoConnections.IsOurs(uniqueKey) ? await grains.GetGrain<ITenantGrain>(user.TenantId()).GetAsync() : null;
        return tenant is null
            ? NangoJson.Error(StatusCodes.Status404NotFound, "not_found", "Integration does not exist")
            : NangoJson.Ok(new NangoData<NangoIntegration>(Of(tenant)));
    }

    private static NangoIntegration Of(TenantView tenant) => new(
        NangoConnections.ProviderConfigKey,
        NangoConnections.Provider,
        "Google Calendar",
        Logo,
        ForwardWebhooks: false,
        NangoFormats.Iso(tenant.CreatedAt),
        NangoFormats.Iso(tenant.UpdatedAt));
}

/// <summary>Nango's <c>ApiPublicIntegration</c>.</summary>
public sealed record NangoIntegration(
    string UniqueKey,
    string Provider,
    string DisplayName,
    string Logo,
    bool ForwardWebhooks,
    string CreatedAt,
    string UpdatedAt);
