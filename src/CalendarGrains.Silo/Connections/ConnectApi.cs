using System.Security.Claims;
using CalendarGrains.Common;
using CalendarGrains.Connections;
using CalendarGrains.Silo.Auth;
using CalendarGrains.Silo.Connections.Pages;
using CalendarGrains.Silo.Hosting;
using CalendarGrains.Silo.Http;
using CalendarGrains.Silo.Nango;
using CalendarGrains.Tenants;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace CalendarGrains.Silo.Connections;

/// <summary>
/// Connecting a Google account: the tenant creates a session, the end user's browser follows
/// <c>connectUrl</c> to Google, and Google's redirect to <c>/v1/oauth/callback</c> completes it.
/// </summary>
/// <remarks>
/// A browser (it asks for <c>text/html</c>) gets a page for every outcome that does not go straight
/// back to the platform: an unknown, used or expired link, a replayed callback, a refusal at Google.
/// An API client gets what it always got: redirects and problem+json.
/// </remarks>
public static class ConnectApi
{
    public const string CallbackPath = "/v1/oauth/callback";

    public static IEndpointRouteBuilder MapConnectApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/v1/connect-sessions", CreateSessionAsync).RequireAuthorization(AuthPolicies.Tenant).WithTags("Connecting")
            .WithName("CreateConnectSession").WithSummary("Starts connecting an end user's Google account; send the user's browser to connectUrl.");
        app.MapGet("/v1/connect-sessions/{sessionId}", GetSessionAsync).RequireAuthorization(AuthPolicies.Tenant).WithTags("Connecting")
            .WithName("GetConnectSession").WithSummary("Reads a connect session: pending, connected (with its connection id) or expired.");
        app.MapGet("/v1/connect/{sessionId}", StartAsync).AllowAnonymous().WithTags("Connecting")
            .WithName("StartConnect").WithSummary("The end user's browser: redirects to Google's consent page (a page for a person when the link cannot be used).");
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

    private static async Task<Results<Ok<ConnectSessionDetails>, ProblemHttpResult>> GetSessionAsync(
        string sessionId, ClaimsPrincipal user, IGrainFactory grains, PublicUrls urls)
    {
        var view = IsSessionId(sessionId) ? await grains.GetGrain<IConnectSessionGrain>(sessionId).GetAsync(user.TenantId()) : null;
        return view is null
            ? Problems.NotFound("connect session")
            : TypedResults.Ok(ConnectSessionDetails.From(view, urls.For($"/v1/connect/{view.Id}")));
    }

    private static async Task<IResult> StartAsync(string sessionId, HttpRequest request, IGrainFactory grains, ConnectStepPages pages)
    {
        var step = IsSessionId(sessionId)
            ? await grains.GetGrain<IConnectSessionGrain>(sessionId).StartAsync()
            : new ConnectStep(ConnectStepKind.NotFound);
        if (step.Kind == ConnectStepKind.Redirect)
        {
            return TypedResults.Redirect(step.RedirectUrl!);
        }

        if (EndUserPages.PrefersHtml(request))
        {
            return EndUserPages.Page(step.Kind == ConnectStepKind.NotFound ? ConnectStepPages.NotFound() : await pages.ForAsync(step));
        }

        return step switch
        {
            { Kind: ConnectStepKind.Failed, RedirectUrl: { } back } => TypedResults.Redirect(back),
            { Kind: ConnectStepKind.Failed } => Problems.Of(StatusCodes.Status410Gone, step.Error ?? "session_expired", "Connect session unusable", step.Reason),
            { Kind: ConnectStepKind.AlreadyConnected } => Problems.Conflict("already_connected", $"This connect session already connected connection '{step.ConnectionId}'."),
            _ => Problems.NotFound("connect session"),
        };
    }

    private static async Task<IResult> CallbackAsync(
        string? state, string? code, string? error, string? error_description, HttpRequest request, IGrainFactory grains, ConnectStepPages pages,
        ILogger<ConnectStepPages> logger)
    {
        var html = EndUserPages.PrefersHtml(request);
        if (!ConnectSessions.TryParseState(state, out var sessionId, out var nonce))
        {
            return html ? EndUserPages.Page(ConnectStepPages.InvalidCallback()) : InvalidState("The state parameter is missing or malformed.");
        }

        var step = await grains.GetGrain<IConnectSessionGrain>(sessionId).CompleteAsync(nonce, code, error, error_description);
        await NangoConnectResults.NotifyAsync(grains, step, logger);

        // Success goes straight back to the platform; so does everything else for an API client.
        if (step is { Kind: ConnectStepKind.Connected, RedirectUrl: { } connected })
        {
            return TypedResults.Redirect(connected);
        }

        if (html || step.ReturnUrl is null && step.Kind is ConnectStepKind.Connected)
        {
            return EndUserPages.Page(await pages.ForAsync(step));
        }

        return step switch
        {
            { Kind: ConnectStepKind.Failed, RedirectUrl: { } back } => TypedResults.Redirect(back),
            { Kind: ConnectStepKind.Failed } => Problems.Of(StatusCodes.Status400BadRequest, step.Error ?? "connect_failed", "Not connected", step.Reason),
            { Kind: ConnectStepKind.AlreadyConnected } => InvalidState($"This connect session already connected connection '{step.ConnectionId}'; the callback was replayed."),
            _ => InvalidState(step.Reason ?? "The state is unknown, already used or expired."),
        };
    }

    private static bool IsSessionId(string sessionId) =>
        sessionId.StartsWith(Ids.ConnectSessionPrefix, StringComparison.Ordinal) && sessionId.Length < 100;

    private static ProblemHttpResult InvalidState(string detail) =>
        Problems.Of(StatusCodes.Status400BadRequest, "invalid_state", "Invalid OAuth state", detail);
}
