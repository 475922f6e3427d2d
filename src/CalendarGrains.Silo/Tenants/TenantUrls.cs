using CalendarGrains.Security;

namespace CalendarGrains.Silo.Tenants;

/// <summary>
/// The URLs a tenant gives that this service will call (its webhook URL, its Nango webhook URL):
/// refused when they name an internal address, unless the operator allows private networks.
/// </summary>
public static class TenantUrls
{
    public const string NotPublicMessage =
        "must not point at a loopback, private, link-local, multicast or otherwise internal address (Webhooks:AllowPrivateNetworks allows them).";

    /// <summary>The first URL refused, as the request member it came from and why; null when all may be called.</summary>
    public static RefusedTenantUrl? Check(bool allowPrivateNetworks, params (string Field, string? Url)[] urls)
    {
        if (allowPrivateNetworks)
        {
            return null;
        }

        foreach (var (field, url) in urls)
        {
            if (!string.IsNullOrEmpty(url) && Uri.TryCreate(url, UriKind.Absolute, out var uri) && !OutboundAddressPolicy.IsAllowedUrl(uri))
            {
                return new RefusedTenantUrl(field, $"{field} {NotPublicMessage}");
            }
        }

        return null;
    }
}

/// <summary>A URL this service would not call: the request member (<c>webhookUrl</c>, <c>nango.webhookUrl</c>) and why.</summary>
public sealed record RefusedTenantUrl(string Field, string Message);
