using System.Security.Claims;
using CalendarGrains.Silo.Auth;
using CalendarGrains.Tenants;

namespace CalendarGrains.Silo.WebConsole.Security;

/// <summary>
/// Signing in to the console: a key posted once in a form becomes a session cookie holding a
/// data-protected ticket with who signed in (the operator, or a tenant and the id of its key),
/// never the key. Every request re-checks that the key still exists, so revoking it ends the session.
/// </summary>
public sealed class ConsoleAuth(ApiKeyResolver resolver, AdminKey adminKey, IGrainFactory grains)
{
    public const string Scheme = "Console";
    public const string Policy = "console";
    public const string CookieName = "cg_console";

    /// <summary>Set on an admin session: see <see cref="AdminKey.SessionStamp"/>.</summary>
    public const string AdminStampClaim = "cg_admin_stamp";

    /// <summary>Keys are short; anything longer is not one (and is not worth hashing).</summary>
    private const int MaxKeyLength = 512;

    /// <summary>The session's principal for a key, or null when it is neither a tenant key nor the admin key.</summary>
    public async Task<ClaimsPrincipal?> SignInAsync(string? presented)
    {
        var key = presented?.Trim();
        if (string.IsNullOrEmpty(key) || key.Length > MaxKeyLength)
        {
            return null;
        }

        if (await resolver.ResolveAsync(key) is { } tenantKey)
        {
            return Caller.Tenant(Scheme, tenantKey.Owner.TenantId, tenantKey.Owner.KeyId);
        }

        return adminKey.Matches(key)
            ? new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Role, Caller.AdminRole), new Claim(AdminStampClaim, adminKey.SessionStamp)], Scheme))
            : null;
    }

    /// <summary>True while the key the session was opened with is still valid.</summary>
    public async Task<bool> IsStillValidAsync(ClaimsPrincipal user)
    {
        if (user.IsAdmin())
        {
            return string.Equals(user.FindFirstValue(AdminStampClaim), adminKey.SessionStamp, StringComparison.Ordinal);
        }

        var tenantId = user.FindFirstValue(Caller.TenantIdClaim);
        var keyId = user.FindFirstValue(Caller.KeyIdClaim);
        if (tenantId is null || keyId is null)
        {
            return false;
        }

        var tenant = await grains.GetGrain<ITenantGrain>(tenantId).GetAsync();
        return tenant is not null && tenant.ApiKeys.Any(key => string.Equals(key.Id, keyId, StringComparison.Ordinal));
    }
}
