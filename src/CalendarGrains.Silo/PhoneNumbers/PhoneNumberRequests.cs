using System.ComponentModel.DataAnnotations;
using CalendarGrains.PhoneNumbers;

namespace CalendarGrains.Silo.PhoneNumbers;

/// <summary>
/// <c>PUT /v1/phone-numbers/{phoneNumber}</c>: calls to the number are answered for this connection,
/// or for this end user's connection (whichever it is when the call comes). <c>assistantId</c> is the
/// Vapi assistant to answer with (default: the tenant's <c>vapi.assistantId</c>); <c>timeZone</c> the
/// callers' zone the tools assume when the caller names none.
/// </summary>
public sealed record PhoneNumberRequest(
    [StringLength(256, MinimumLength = 1)] string? ConnectionId,
    [StringLength(256, MinimumLength = 1)] string? EndUserId,
    [StringLength(100, MinimumLength = 1)] string? AssistantId,
    [StringLength(64, MinimumLength = 1)] string? TimeZone);

/// <summary>A phone number's route as the API shows it.</summary>
public sealed record PhoneNumberResource(
    string PhoneNumber,
    string? ConnectionId,
    string? EndUserId,
    string? AssistantId,
    string? TimeZone,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt)
{
    public static PhoneNumberResource From(PhoneNumberRoute route) =>
        new(route.Key, route.ConnectionId, route.EndUserId, route.AssistantId, route.TimeZone, route.CreatedAt, route.UpdatedAt);
}
