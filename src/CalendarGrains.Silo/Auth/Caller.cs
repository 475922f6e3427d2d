using System.Security.Claims;

namespace CalendarGrains.Silo.Auth;

/// <summary>Who is calling, as the API key said: the operator (admin key) or one tenant.</summary>
public static class Caller
{
    public const string TenantIdClaim = "cg_tenant";
    public const string KeyIdClaim = "cg_key";
    public const string AdminRole = "admin";

    public static ClaimsPrincipal Admin(string scheme) =>
        new(new ClaimsIdentity([new Claim(ClaimTypes.Role, AdminRole)], scheme));

    public static ClaimsPrincipal Tenant(string scheme, string tenantId, string keyId) =>
        new(new ClaimsIdentity([new Claim(TenantIdClaim, tenantId), new Claim(KeyIdClaim, keyId)], scheme));

    public static bool IsAdmin(this ClaimsPrincipal user) => user.IsInRole(AdminRole);

    /// <summary>The tenant the key belongs to; only called on routes that require a tenant key.</summary>
    public static string TenantId(this ClaimsPrincipal user) =>
        user.FindFirstValue(TenantIdClaim) ?? throw new InvalidOperationException("The route requires a tenant key but the caller has none.");

    /// <summary>True when the caller may see this tenant: the admin, or the tenant's own key.</summary>
    public static bool MaySee(this ClaimsPrincipal user, string tenantId) =>
        user.IsAdmin() || string.Equals(user.FindFirstValue(TenantIdClaim), tenantId, StringComparison.Ordinal);
}
