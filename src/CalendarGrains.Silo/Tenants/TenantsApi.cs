using System.Security.Claims;
using CalendarGrains.Common;
using CalendarGrains.Indexing;
using CalendarGrains.Silo.Auth;
using CalendarGrains.Silo.Http;
using CalendarGrains.Tenants;
using CalendarGrains.Webhooks;
using Microsoft.Extensions.Options;
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
        group.MapPost("/{id}/webhook-secret/rotate", (string id, ClaimsPrincipal user, IGrainFactory grains, HttpResponse response) =>
                RotateAsync(id, RotatableSecret.WebhookSecret, user, grains, response))
            .RequireAuthorization(AuthPolicies.AdminOrTenant).WithName("RotateTenantWebhookSecret")
            .WithSummary("Issues a new webhookSecret, shown only in this answer; webhooks are signed with both for 24 hours.");
        group.MapPost("/{id}/vapi-server-secret/rotate", (string id, ClaimsPrincipal user, IGrainFactory grains, HttpResponse response) =>
                RotateAsync(id, RotatableSecret.VapiServerSecret, user, grains, response))
            .RequireAuthorization(AuthPolicies.AdminOrTenant).WithName("RotateTenantVapiServerSecret")
            .WithSummary("Issues a new vapiServerSecret, shown only in this answer; the old one is accepted for 24 hours.");
        return group;
    }

    private static async Task<Results<Created<TenantCreatedResponse>, ProblemHttpResult>> CreateAsync(
        CreateTenantRequest request, IGrainFactory grains, IOptions<WebhookOptions> webhooks, [FromKeyedServices(ServiceTime.Key)] TimeProvider time)
    {
        if (TenantUrls.Check(webhooks.Value.AllowPrivateNetworks, ("webhookUrl", request.WebhookUrl), ("nango.webhookUrl", request.Nango?.WebhookUrl)) is { } refused)
        {
            return refused;
        }

        var id = Ids.NewTenantId(time);
        var created = await grains.GetGrain<ITenantGrain>(id).CreateAsync(request.ToDefinition());
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
        string id, UpdateTenantRequest request, IGrainFactory grains, IOptions<WebhookOptions> webhooks)
    {
        if (TenantUrls.Check(webhooks.Value.AllowPrivateNetworks, ("webhookUrl", request.WebhookUrl), ("nango.webhookUrl", request.Nango?.WebhookUrl)) is { } refused)
        {
            return refused;
        }

        var view = IsTenantId(id) ? await grains.GetGrain<ITenantGrain>(id).UpdateAsync(request.ToChanges()) : null;
        return view is null ? Problems.NotFound("tenant") : TypedResults.Ok(view);
    }

    private static async Task<Results<Created<ApiKeyIssued>, ProblemHttpResult>> AddApiKeyAsync(string id, IGrainFactory grains)
    {
        var issued = IsTenantId(id) ? await grains.GetGrain<ITenantGrain>(id).AddApiKeyAsync() : null;
        return issued is null ? Problems.NotFound("tenant") : TypedResults.Created($"/v1/tenants/{id}/api-keys/{issued.Id}", issued);
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> RevokeApiKeyAsync(string id, string keyId, IGrainFactory grains)
    {
        var revoked = IsTenantId(id) && await grains.GetGrain<ITenantGrain>(id).RevokeApiKeyAsync(keyId);
        return revoked ? TypedResults.NoContent() : Problems.NotFound("API key");
    }

    /// <summary>The operator, or the tenant itself (a leaked secret should not wait on the operator).</summary>
    private static async Task<Results<Ok<RotatedSecretResponse>, ProblemHttpResult>> RotateAsync(
        string id, RotatableSecret secret, ClaimsPrincipal user, IGrainFactory grains, HttpResponse response)
    {
        var rotated = IsTenantId(id) && user.MaySee(id) ? await grains.GetGrain<ITenantGrain>(id).RotateSecretAsync(secret) : null;
        if (rotated is null)
        {
            return Problems.NotFound("tenant");
        }

        response.Headers.CacheControl = "no-store";
        return TypedResults.Ok(new RotatedSecretResponse(rotated.Secret, rotated.PreviousValidUntil));
    }

    /// <summary>Only ids we could have issued reach a grain: a random path segment activates nothing.</summary>
    private static bool IsTenantId(string id) => Ids.IsTenantId(id);
}
