using System.Security.Claims;
using System.Text.Json;
using CalendarGrains.Calls;
using CalendarGrains.Common;
using CalendarGrains.Silo.Auth;
using CalendarGrains.Silo.Connections;
using CalendarGrains.Silo.Http;
using CalendarGrains.Tenants;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace CalendarGrains.Silo.Calls;

/// <summary><c>/v1/calls</c> (tenant key): place, read, list and cancel calls.</summary>
public static class CallsApi
{
    public const string IdempotencyConflictCode = "idempotency_conflict";
    public const string NotCancelableCode = "call_not_cancelable";
    public const string VapiNotConfiguredCode = "vapi_not_configured";

    public static RouteGroupBuilder MapCallsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/calls").WithTags("Calls").RequireAuthorization(AuthPolicies.Tenant);
        group.MapPost("/", CreateAsync).WithName("CreateCall")
            .WithSummary("Places a call through the tenant's Vapi account, once per Idempotency-Key; it waits pending for its time and a concurrency slot.");
        group.MapGet("/", ListAsync).WithName("ListCalls").WithSummary("Lists calls, filtered by status or connectionId, with cursor paging.");
        group.MapGet("/{id}", GetAsync).WithName("GetCall").WithSummary("Reads a call: status, history, Vapi id, outcome.");
        group.MapPost("/{id}/cancel", CancelAsync).WithName("CancelCall").WithSummary("Cancels a call that is still pending (Vapi does not have it yet).");
        return group;
    }

    private static async Task<Results<Accepted<CallResource>, Ok<CallResource>, ProblemHttpResult>> CreateAsync(
        CreateCallRequest request,
        [FromHeader(Name = IdempotencyKeys.Header)] string? idempotencyKey,
        ClaimsPrincipal user,
        IGrainFactory grains,
        IOptions<CallOptions> options,
        [FromKeyedServices(ServiceTime.Key)] TimeProvider time)
    {
        if (idempotencyKey is not null && !IdempotencyKeys.IsValid(idempotencyKey))
        {
            return Problems.InvalidField(IdempotencyKeys.Header, $"The Idempotency-Key header must be 1 to {IdempotencyKeys.MaxLength} printable ASCII characters.");
        }

        if (Check(request, time.GetUtcNow(), options.Value) is { } invalid || !MetadataJson.TryRead(request.Metadata, out var metadata, out invalid))
        {
            return invalid!;
        }

        var tenantId = user.TenantId();
        var tenant = await grains.GetGrain<ITenantGrain>(tenantId).GetAsync();
        if (tenant is null || !tenant.Vapi.HasApiKey)
        {
            return Problems.Conflict(VapiNotConfiguredCode, "The tenant has no Vapi API key; the operator sets one with PATCH /v1/tenants/{id}.");
        }

        var assistantId = request.Assistant is null ? request.AssistantId ?? tenant.Vapi.AssistantId : null;
        if (request.Assistant is null && assistantId is null)
        {
            return Problems.InvalidField("assistantId", "Give assistantId or assistant: the tenant has no default assistant.");
        }

        if ((request.PhoneNumberId ?? tenant.Vapi.PhoneNumberId) is not { } phoneNumberId)
        {
            return Problems.InvalidField("phoneNumberId", "Give phoneNumberId: the tenant has no default phone number.");
        }

        var definition = new CallDefinition(
            tenantId,
            request.ConnectionId,
            new CallCustomer(request.Customer.Number, request.Customer.Name),
            assistantId,
            request.Assistant?.GetRawText(),
            request.AssistantOverrides?.GetRawText(),
            phoneNumberId,
            request.ScheduledAt?.ToUniversalTime(),
            metadata);
        var candidate = CallIds.New(time);
        var creation = idempotencyKey is null
            ? await grains.GetGrain<ICallDispatchGrain>(candidate).CreateAsync(definition)
            : await grains.GetGrain<ICallIdempotencyGrain>(IdempotencyKeys.GrainKey(tenantId, idempotencyKey)).CreateOnceAsync(request.Hash(), candidate, definition);
        return creation.Outcome switch
        {
            CallCreationOutcome.Created => TypedResults.Accepted($"/v1/calls/{creation.Call!.Id}", CallResource.From(creation.Call)),
            CallCreationOutcome.Existing => TypedResults.Ok(CallResource.From(creation.Call!)),
            CallCreationOutcome.IdempotencyConflict => Problems.Conflict(IdempotencyConflictCode,
                "This Idempotency-Key was already used with another request body; use a new key for a new call."),
            CallCreationOutcome.ConnectionNeedsReauth => Problems.Of(StatusCodes.Status409Conflict, TokenResultsHttp.NeedsReauthCode,
                "The connection needs to be reconnected", "The connection's Google grant no longer works; nothing was dialled. The end user must connect again."),
            _ => Problems.NotFound("connection"),
        };
    }

    private static async Task<Results<Ok<Page<CallResource>>, ProblemHttpResult>> ListAsync(
        string? status, string? connectionId, int? limit, string? cursor, ClaimsPrincipal user, CallListing listing)
    {
        if (!ListQuery.TryRead(limit, cursor, out var pageSize, out var after, out var problem))
        {
            return problem!;
        }

        CallStatus? wanted = null;
        if (status is not null)
        {
            if (!CallStatuses.TryParse(status, out var parsed))
            {
                return Problems.InvalidField("status", "status must be one of pending, dispatching, queued, ringing, in-progress, forwarding, ended, failed, canceled.");
            }

            wanted = parsed;
        }

        if (connectionId is not null && !ConnectionIds.IsPlausible(connectionId))
        {
            return Problems.InvalidField("connectionId", "connectionId is not a connection id.");
        }

        var page = await listing.PageAsync(user.TenantId(), new CallFilter(wanted, connectionId), after, pageSize);
        return TypedResults.Ok(new Page<CallResource>([.. page.Items.Select(CallResource.From)], page.Next is null ? null : Cursor.Encode(page.Next)));
    }

    private static async Task<Results<Ok<CallResource>, ProblemHttpResult>> GetAsync(string id, ClaimsPrincipal user, IGrainFactory grains)
    {
        var view = CallIds.IsPlausible(id) ? await grains.GetGrain<ICallDispatchGrain>(id).GetAsync(user.TenantId()) : null;
        return view is null ? Problems.NotFound("call") : TypedResults.Ok(CallResource.From(view));
    }

    private static async Task<Results<Ok<CallResource>, ProblemHttpResult>> CancelAsync(string id, ClaimsPrincipal user, IGrainFactory grains)
    {
        var result = CallIds.IsPlausible(id)
            ? await grains.GetGrain<ICallDispatchGrain>(id).CancelAsync(user.TenantId())
            : new CancelResult(CancelOutcome.NotFound, null);
        return result.Outcome switch
        {
            CancelOutcome.Canceled => TypedResults.Ok(CallResource.From(result.Call!)),
            CancelOutcome.NotCancelable => Problems.Conflict(NotCancelableCode,
                $"Only a pending call can be canceled; this one is {CallStatuses.WireName(result.Call!.Status)}."),
            _ => Problems.NotFound("call"),
        };
    }

    /// <summary>The rules between members, and the JSON members validation attributes cannot check.</summary>
    private static ProblemHttpResult? Check(CreateCallRequest request, DateTimeOffset now, CallOptions options)
    {
        if (!ConnectionIds.IsPlausible(request.ConnectionId))
        {
            return Problems.InvalidField("connectionId", "connectionId is not a connection id.");
        }

        if (request.AssistantId is not null && request.Assistant is not null)
        {
            return Problems.InvalidField("assistant", "Give assistantId or assistant, not both.");
        }

        if (request.Assistant is { } assistant && assistant.ValueKind != JsonValueKind.Object)
        {
            return Problems.InvalidField("assistant", "assistant must be a JSON object (a transient Vapi assistant).");
        }

        if (request.AssistantOverrides is { } overrides)
        {
            if (overrides.ValueKind != JsonValueKind.Object)
            {
                return Problems.InvalidField("assistantOverrides", "assistantOverrides must be a JSON object.");
            }

            foreach (var (member, kind) in new[] { ("variableValues", JsonValueKind.Object), ("metadata", JsonValueKind.Object), ("credentials", JsonValueKind.Array) })
            {
                if (overrides.TryGetProperty(member, out var value) && value.ValueKind != kind && value.ValueKind != JsonValueKind.Null)
                {
                    return Problems.InvalidField($"assistantOverrides.{member}", $"assistantOverrides.{member} must be a JSON {(kind == JsonValueKind.Array ? "array" : "object")}.");
                }
            }
        }

        if (request.ScheduledAt is { } at && at - now > options.MaxScheduleAhead)
        {
            return Problems.InvalidField("scheduledAt", $"scheduledAt must be at most {options.MaxScheduleAhead.TotalDays:0} days ahead.");
        }

        return null;
    }
}
