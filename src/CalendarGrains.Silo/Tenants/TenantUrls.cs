using CalendarGrains.Security;
using CalendarGrains.Silo.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CalendarGrains.Silo.Tenants;

/// <summary>
/// The URLs a tenant gives that this service will call (its webhook URL, its Nango webhook URL):
/// refused when they name an internal address, unless the operator allows private networks.
/// </summary>
public static class TenantUrls
{
    public const string NotPublicMessage =
        "must not point at a loopback, private, link-local, multicast or otherwise internal address (Webhooks:AllowPrivateNetworks allows them).";

    public static ProblemHttpResult? Check(bool allowPrivateNetworks, params (string Field, string? Url)[] urls)
    {
        if (allowPrivateNetworks)
        {
            return null;
        }

        foreach (var (field, url) in urls)
        {
            if (!string.IsNullOrEmpty(url) && Uri.TryCreate(url, UriKind.Absolute, out var uri) && !OutboundAddressPolicy.IsAllowedUrl(uri))
            {
                return Problems.InvalidField(field, $"{field} {NotPublicMessage}");
            }
        }

        return null;
    }
}
