using System.Security.Claims;
using CalendarGrains.Silo.Auth;
using CalendarGrains.Silo.Http;
using CalendarGrains.Tenants;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CalendarGrains.Silo.Tenants;

/// <summary>
/// <c>/v1/tenants</c>: the operator creates and changes tenants (admin key); a tenant key may
/// read its own tenant (another tenant is a 404, never a 403).
/// </summary>
public static class TenantsApi
{
    public static RouteGroupBuilder MapTenantsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/tenants").WithTags("Tenants");
        group.MapPost("/", CreateAsync).RequireAuthorization(AuthPolicies.Admin)
            .WithName("CreateTenant").WithSummary("Creates a tenant; its API key and secrets are shown only in this answer.");
        group.MapGet("/", ListAsync).RequireAuthorization(AuthPolicies.AdminOrTenant)
            .WithName("ListTenants").WithSummary("Lists tenants (the admin sees all, a tenant key sees its own).");
        group.MapGet("/{id}", GetAsync).RequireAuthorization(AuthPolicies.AdminOrTenant)
            .WithName("GetTenant").WithSummary("Reads a tenant, without secrets.");
        group.MapPatch("/{id}", UpdateAsync).RequireAuthorization(AuthPolicies.Admin)
            .WithName("UpdateTenant").WithSummary("Changes the members given; the others stay.");
        group.MapPost("/{id}/api-keys", AddApiKeyAsync).RequireAuthorization(AuthPolicies.Admin)
            .WithName("AddTenantApiKey").WithSummary("Adds an API key; existing keys keep working until deleted.");
        group.MapDelete("/{id}/api-keys/{keyId}", RevokeApiKeyAsync).RequireAuthorization(AuthPolicies.Admin)
            .WithName("RevokeTenantApiKey").WithSummary("Revokes an API key on every silo at once.");
        return group;
    }

    private static async Task<Created<TenantCreatedResponse>> CreateAsync(
        CreateTenantRequest request, TenantAdministration tenants, CancellationToken cancellationToken)
    {
        var created = await tenants.CreateAsync(request.ToDefinition(), cancellationToken);
        return TypedResults.Created($"/v1/tenants/{created.Tenant.Id}", TenantCreatedResponse.From(created));
    }

    private static async Task<Results<Ok<Page<TenantView>>, ProblemHttpResult>> ListAsync(
        int? limit, string? cursor, ClaimsPrincipal user, IGrainFactory grains, TenantAdministration tenants)
    {
        if (!ListQuery.TryRead(limit, cursor, out var pageSize, out var after, out var problem))
        {
            return problem!;
        }

        if (!user.IsAdmin())
        {
            var own = await grains.GetGrain<ITenantGrain>(user.TenantId()).GetAsync();
            return TypedResults.Ok(new Page<TenantView>(own is null || after is not null ? [] : [own], null));
        }

        var (views, nextAfter) = await tenants.PageAsync(after, pageSize);
        return TypedResults.Ok(new Page<TenantView>(views, nextAfter is null ? null : Cursor.Encode(nextAfter)));
    }

    private static async Task<Results<Ok<TenantView>, ProblemHttpResult>> GetAsync(string id, ClaimsPrincipal user, IGrainFactory grains)
    {
        var view = IsTenantId(id) && user.MaySee(id) ? await grains.GetGrain<ITenantGrain>(id).GetAsync() : null;
        return view is null ? Problems.NotFound("tenant") : TypedResults.Ok(view);
    }

    private static async Task<Results<Ok<TenantView>, ProblemHttpResult>> UpdateAsync(
        string id, UpdateTenantRequest request, TenantAdministration tenants, CancellationToken cancellationToken)
    {
        var view = await tenants.UpdateAsync(id, request.ToChanges(), cancellationToken);
        return view is null ? Problems.NotFound("tenant") : TypedResults.Ok(view);
    }

    private static async Task<Results<Created<ApiKeyIssued>, ProblemHttpResult>> AddApiKeyAsync(string id, IGrainFactory grains)
    {
        var addition = IsTenantId(id) ? await grains.GetGrain<ITenantGrain>(id).AddApiKeyAsync() : null;
        return addition switch
        {
            { Outcome: ApiKeyAdditionOutcome.Added, Issued: { } issued } => TypedResults.Created($"/v1/tenants/{id}/api-keys/{issued.Id}", issued),
            { Outcome: ApiKeyAdditionOutcome.LimitReached } => Problems.Conflict(
                ProblemCodes.ApiKeyLimitReached,
                $"The tenant has {addition.Limit} API keys, the most it may have (Tenants:MaxApiKeys); revoke one before adding another."),
            _ => Problems.NotFound("tenant"),
        };
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> RevokeApiKeyAsync(string id, string keyId, IGrainFactory grains)
    {
        var revoked = IsTenantId(id) && await grains.GetGrain<ITenantGrain>(id).RevokeApiKeyAsync(keyId);
        return revoked ? TypedResults.NoContent() : Problems.NotFound("API key");
    }

    private static bool IsTenantId(string id) => TenantAdministration.IsTenantId(id);
}
