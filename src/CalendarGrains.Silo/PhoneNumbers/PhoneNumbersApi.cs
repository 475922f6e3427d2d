using System.Security.Claims;
using CalendarGrains.Common;
using CalendarGrains.Connections;
using CalendarGrains.PhoneNumbers;
using CalendarGrains.Silo.Auth;
using CalendarGrains.Silo.Connections;
using CalendarGrains.Silo.Http;
using CalendarGrains.Silo.Tools;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CalendarGrains.Silo.PhoneNumbers;

/// <summary>
/// <c>/v1/phone-numbers</c> (tenant key): which connection answers inbound calls to each of the tenant's
/// numbers. Vapi asks for an inbound call's assistant at <c>/v1/vapi/events/{tenantId}</c>
/// (<see cref="InboundAssistant"/>), and the answer carries that connection to the calendar tools.
/// </summary>
public static class PhoneNumbersApi
{
    public static RouteGroupBuilder MapPhoneNumbersApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/phone-numbers").WithTags("Phone numbers").RequireAuthorization(AuthPolicies.Tenant);
        group.MapPut("/{phoneNumber}", PutAsync).WithName("PutPhoneNumber")
            .WithSummary("Routes inbound calls to a number (Vapi phone number id or E.164) to a connection or an end user's connection.");
        group.MapGet("/{phoneNumber}", GetAsync).WithName("GetPhoneNumber").WithSummary("Reads a number's route.");
        group.MapGet("/", ListAsync).WithName("ListPhoneNumbers").WithSummary("Lists the tenant's number routes in key order, with cursor paging.");
        group.MapDelete("/{phoneNumber}", DeleteAsync).WithName("DeletePhoneNumber").WithSummary("Removes a number's route; its inbound calls are then refused.");
        return group;
    }

    private static async Task<Results<Created<PhoneNumberResource>, Ok<PhoneNumberResource>, ProblemHttpResult>> PutAsync(
        string phoneNumber,
        PhoneNumberRequest request,
        ClaimsPrincipal user,
        IGrainFactory grains,
        [FromKeyedServices(ServiceTime.Key)] TimeProvider time)
    {
        if (!PhoneNumberKeys.TryNormalize(phoneNumber, out var key))
        {
            return BadKey();
        }

        if ((request.ConnectionId is null) == (request.EndUserId is null))
        {
            return Problems.InvalidField("connectionId", "Give exactly one of connectionId and endUserId.");
        }

        var tenantId = user.TenantId();
        if (request.ConnectionId is { } connectionId
            && (!ConnectionIds.IsPlausible(connectionId) || await grains.GetGrain<IConnectionGrain>(connectionId).GetAsync(tenantId) is null))
        {
            return Problems.InvalidField("connectionId", $"This tenant has no connection '{connectionId}'.");
        }

        string? zoneId = null;
        if (request.TimeZone is { } zone)
        {
            if (!ZoneNames.TryFind(zone, out var found, out var problem))
            {
                return Problems.InvalidField("timeZone", $"timeZone: {problem}.");
            }

            zoneId = found.Id;
        }

        var now = time.GetUtcNow();
        var route = new PhoneNumberRoute(key, request.ConnectionId, request.EndUserId, request.AssistantId, zoneId, now, now);
        var directory = grains.GetGrain<IPhoneNumberDirectoryGrain>(tenantId);
        var outcome = await directory.SetAsync(route);
        if (outcome == PhoneNumberSetOutcome.Full)
        {
            return Problems.Conflict(ProblemCodes.Conflict, $"A tenant may route at most {PhoneNumberLimits.MaxPerTenant} phone numbers; delete one first.");
        }

        var stored = PhoneNumberResource.From(await directory.GetAsync(key) ?? route);
        return outcome == PhoneNumberSetOutcome.Created
            ? TypedResults.Created($"/v1/phone-numbers/{Uri.EscapeDataString(key)}", stored)
            : TypedResults.Ok(stored);
    }

    private static async Task<Results<Ok<PhoneNumberResource>, ProblemHttpResult>> GetAsync(string phoneNumber, ClaimsPrincipal user, IGrainFactory grains)
    {
        if (!PhoneNumberKeys.TryNormalize(phoneNumber, out var key))
        {
            return BadKey();
        }

        return await grains.GetGrain<IPhoneNumberDirectoryGrain>(user.TenantId()).GetAsync(key) is { } route
            ? TypedResults.Ok(PhoneNumberResource.From(route))
            : Problems.NotFound("phone number");
    }

    private static async Task<Results<Ok<Page<PhoneNumberResource>>, ProblemHttpResult>> ListAsync(int? limit, string? cursor, ClaimsPrincipal user, IGrainFactory grains)
    {
        if (!ListQuery.TryRead(limit, cursor, out var pageSize, out var after, out var problem))
        {
            return problem!;
        }

        var routes = await grains.GetGrain<IPhoneNumberDirectoryGrain>(user.TenantId()).ListAsync(after, pageSize);
        return TypedResults.Ok(new Page<PhoneNumberResource>(
            [.. routes.Select(PhoneNumberResource.From)],
            Cursor.Next([.. routes.Select(r => r.Key)], pageSize)));
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(string phoneNumber, ClaimsPrincipal user, IGrainFactory grains)
    {
        if (!PhoneNumberKeys.TryNormalize(phoneNumber, out var key))
        {
            return BadKey();
        }

        return await grains.GetGrain<IPhoneNumberDirectoryGrain>(user.TenantId()).RemoveAsync(key)
            ? TypedResults.NoContent()
            : Problems.NotFound("phone number");
    }

    private static ProblemHttpResult BadKey() => Problems.InvalidField(
        "phoneNumber", "phoneNumber must be Vapi's phone number id or an E.164 number such as +15550100100 (the + may also be written %2B).");
}
