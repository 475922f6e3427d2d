using System.Security.Claims;
using CalendarGrains.Common;
using CalendarGrains.Indexing;
using CalendarGrains.Silo.Auth;
using CalendarGrains.Silo.Http;
using CalendarGrains.Tenants;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

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
        CreateTenantRequest request, IGrainFactory grains, [FromKeyedServices(ServiceTime.Key)] TimeProvider time,
        [FromServices] IEnumerable<ITenantClientObserver> observers, CancellationToken cancellationToken)
    {
        var id = Ids.NewTenantId(time);
        var created = await grains.GetGrain<ITenantGrain>(id).CreateAsync(request.ToDefinition());
        foreach (var observer in observers)
        {
            await observer.GoogleClientSetAsync(id, request.Google.ClientId, request.Google.ClientSecret, cancellationToken);
        }

        return TypedResults.Created($"/v1/tenants/{id}", TenantCreatedResponse.From(created));
    }

    private static async Task<Results<Ok<Page<TenantView>>, ProblemHttpResult>> ListAsync(
        int? limit, string? cursor, ClaimsPrincipal user, IGrainFactory grains, IOrderedIndex index)
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

        var ids = await index.PageAsync(TenantDefaults.IndexSet, after, pageSize);
        var views = await Task.WhenAll(ids.Select(id => grains.GetGrain<ITenantGrain>(id).GetAsync()));
        return TypedResults.Ok(new Page<TenantView>([.. views.OfType<TenantView>()], Cursor.Next(ids, pageSize)));
    }

    private static async Task<Results<Ok<TenantView>, ProblemHttpResult>> GetAsync(string id, ClaimsPrincipal user, IGrainFactory grains)
    {
        var view = IsTenantId(id) && user.MaySee(id) ? await grains.GetGrain<ITenantGrain>(id).GetAsync() : null;
        return view is null ? Problems.NotFound("tenant") : TypedResults.Ok(view);
    }

    private static async Task<Results<Ok<TenantView>, ProblemHttpResult>> UpdateAsync(
        string id, UpdateTenantRequest request, IGrainFactory grains, [FromServices] IEnumerable<ITenantClientObserver> observers, CancellationToken cancellationToken)
    {
        var view = IsTenantId(id) ? await grains.GetGrain<ITenantGrain>(id).UpdateAsync(request.ToChanges()) : null;
        if (view is null)
        {
            return Problems.NotFound("tenant");
        }

        // Only a new secret says what the client is now; a new id alone keeps the secret we never read back.
        if (request.Google?.ClientSecret is { } secret)
        {
            foreach (var observer in observers)
            {
                await observer.GoogleClientSetAsync(id, view.Google.ClientId, secret, cancellationToken);
            }
        }

        return TypedResults.Ok(view);
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

    /// <summary>Only ids we could have issued reach a grain: a random path segment activates nothing.</summary>
    private static bool IsTenantId(string id) => id.StartsWith(Ids.TenantPrefix, StringComparison.Ordinal) && id.Length == Ids.TenantPrefix.Length + 26;
}
