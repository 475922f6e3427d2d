namespace CalendarGrains.PhoneNumbers;

/// <summary>
/// One grain per tenant, keyed by the tenant id: which connection (or end user) answers calls to
/// each of the tenant's phone numbers. Read when Vapi asks for the assistant of an inbound call.
/// Bounded (<see cref="PhoneNumberLimits.MaxPerTenant"/>), so one grain holds them all.
/// </summary>
[Alias("cg.IPhoneNumberDirectoryGrain")]
public interface IPhoneNumberDirectoryGrain : IGrainWithStringKey
{
    /// <summary>Creates or replaces the route of <see cref="PhoneNumberRoute.Key"/>.</summary>
    Task<PhoneNumberSetOutcome> SetAsync(PhoneNumberRoute route);

    [ReadOnly]
    Task<PhoneNumberRoute?> GetAsync(string key);

    /// <summary>Routes in key order after <paramref name="after"/> (exclusive), at most <paramref name="limit"/>.</summary>
    [ReadOnly]
    Task<IReadOnlyList<PhoneNumberRoute>> ListAsync(string? after, int limit);

    /// <summary>False when there was no such route.</summary>
    Task<bool> RemoveAsync(string key);

    /// <summary>The route of an inbound call: by Vapi's phone number id first, then by the E.164 number.</summary>
    [ReadOnly]
    Task<PhoneNumberRoute?> ResolveAsync(string? phoneNumberId, string? number);
}

/// <summary>
/// Where calls to one number go. <see cref="Key"/> is Vapi's phone number id or the number in E.164
/// (<c>+15550100</c>). Exactly one of <see cref="ConnectionId"/> and <see cref="EndUserId"/> is set;
/// an end user is resolved to that user's connection at call time.
/// </summary>
[GenerateSerializer, Immutable, Alias("cg.PhoneNumberRoute")]
public sealed record PhoneNumberRoute(
    [property: Id(0)] string Key,
    [property: Id(1)] string? ConnectionId,
    [property: Id(2)] string? EndUserId,
    [property: Id(3)] string? AssistantId,
    [property: Id(4)] string? TimeZone,
    [property: Id(5)] DateTimeOffset CreatedAt,
    [property: Id(6)] DateTimeOffset UpdatedAt);

public enum PhoneNumberSetOutcome
{
    Created,
    Updated,

    /// <summary>The tenant has <see cref="PhoneNumberLimits.MaxPerTenant"/> numbers already.</summary>
    Full,
}

public static class PhoneNumberLimits
{
    public const int MaxPerTenant = 10_000;
}
