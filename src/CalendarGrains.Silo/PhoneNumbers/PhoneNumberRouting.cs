using CalendarGrains.Connections;
using CalendarGrains.PhoneNumbers;

namespace CalendarGrains.Silo.PhoneNumbers;

/// <summary>From an inbound call's line to the connection whose calendar it serves.</summary>
public static class PhoneNumberRouting
{
    /// <summary>The route of the line: by Vapi's phone number id first, then by its number.</summary>
    public static Task<PhoneNumberRoute?> RouteForAsync(IGrainFactory grains, string tenantId, string? phoneNumberId, string? number) =>
        grains.GetGrain<IPhoneNumberDirectoryGrain>(tenantId).ResolveAsync(phoneNumberId, PhoneNumberKeys.NumberOrNull(number));

    /// <summary>The route's connection; for a route to an end user, that user's connection at this moment.</summary>
    public static async Task<string?> ConnectionOfAsync(IGrainFactory grains, string tenantId, PhoneNumberRoute route) =>
        route.ConnectionId ?? (route.EndUserId is { } endUserId
            ? await grains.GetGrain<IEndUserGrain>(EndUserKeys.For(tenantId, endUserId)).GetConnectionIdAsync()
            : null);

    public static async Task<string?> ConnectionForAsync(IGrainFactory grains, string tenantId, string? phoneNumberId, string? number) =>
        await RouteForAsync(grains, tenantId, phoneNumberId, number) is { } route ? await ConnectionOfAsync(grains, tenantId, route) : null;
}
