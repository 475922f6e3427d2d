using System.Security.Claims;
using CalendarGrains.Common;
using CalendarGrains.Connections;
using CalendarGrains.Silo.Auth;
using CalendarGrains.Silo.Hosting;
using CalendarGrains.Silo.Http;
using CalendarGrains.Tenants;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace CalendarGrains.Silo.Connections;

/// <summary>
/// Connecting a Google account: the tenant creates a session, the end user's browser follows
/// <c>connectUrl</c> to Google, and Google's redirect to <c>/v1/oauth/callback</c> completes it.
/// </summary>
public static class ConnectApi
{
    public const string CallbackPath = "/v1/oauth/callback";

    public static IEndpointRouteBuilder MapConnectApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/v1/connect-sessions", CreateSessionAsync).RequireAuthorization(AuthPolicies.Tenant).WithTags("Connecting")
            .WithName("CreateConnectSession").WithSummary("Starts connecting an end user's Google account; send the user's browser to connectUrl.");
        app.MapGet("/v1/connect/{sessionId}", StartAsync).AllowAnonymous().WithTags("Connecting")
            .WithName("StartConnect").WithSummary("The end user's browser: redirects to Google's consent page.");
        app.MapGet(CallbackPath, CallbackAsync).AllowAnonymous().WithTags("Connecting")
            .WithName("OAuthCallback").WithSummary("Google's redirect back: stores the connection and redirects to the tenant's returnUrl.");
        return app;
    }

    private static async Task<Results<Created<ConnectSessionResponse>, ProblemHttpResult>> CreateSessionAsync(
        CreateConnectSessionRequest request,
        ClaimsPrincipal user,
        IGrainFactory grains,
        PublicUrls urls,
        IOptions<ConnectSessionOptions> sessions,
        [FromKeyedServices(ServiceTime.Key)] TimeProvider time)
    {
        var tenantId = user.TenantId();
        var tenant = await grains.GetGrain<ITenantGrain>(tenantId).GetAsync();
        if (tenant is null)
        {
            return Problems.NotFound("tenant");
        }

        if (!ReturnUrls.IsAllowed(request.ReturnUrl, tenant.AllowedReturnUrls))
        {
            return Problems.InvalidField("returnUrl", "returnUrl is not one of the tenant's allowed return URLs.");
        }

        var id = Ids.NewConnectSessionId();
        var expiresAt = time.GetUtcNow() + sessions.Value.Lifetime;
        await grains.GetGrain<IConnectSessionGrain>(id).CreateAsync(new ConnectSessionDefinition(
            tenantId, request.EndUserId, request.ReturnUrl, request.Scopes, request.LoginHint, urls.For(CallbackPath), expiresAt));
        return TypedResults.Created($"/v1/connect-sessions/{id}", new ConnectSessionResponse(id, urls.For($"/v1/connect/{id}"), expiresAt));
    }

    private static async Task<Results<RedirectHttpResult, ProblemHttpResult>> StartAsync(string sessionId, IGrainFactory grains)
    {
        var step = sessionId.StartsWith(Ids.ConnectSessionPrefix, StringComparison.Ordinal) && sessionId.Length < 100
            ? await grains.GetGrain<IConnectSessionGrain>(sessionId).StartAsync()
            : new ConnectStep(ConnectStepKind.NotFound);
        return ToResult(step);
    }

    private static async Task<Results<RedirectHttpResult, ProblemHttpResult>> CallbackAsync(
        string? state, string? code, string? error, string? error_description, IGrainFactory grains)
    {
        if (!ConnectSessions.TryParseState(state, out var sessionId, out var nonce))
        {
            return InvalidState("The state parameter is missing or malformed.");
        }

        return ToResult(await grains.GetGrain<IConnectSessionGrain>(sessionId).CompleteAsync(nonce, code, error, error_description));
    }

    private static Results<RedirectHttpResult, ProblemHttpResult> ToResult(ConnectStep step) => step.Kind switch
    {
        ConnectStepKind.Redirect => TypedResults.Redirect(step.RedirectUrl!),
        ConnectStepKind.Rejected => InvalidState(step.Reason!),
        _ => Problems.NotFound("connect session"),
    };

    private static ProblemHttpResult InvalidState(string detail) =>
        Problems.Of(StatusCodes.Status400BadRequest, "invalid_state", "Invalid OAuth state", detail);
}
