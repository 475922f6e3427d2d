using System.Security.Claims;
using System.Text.Json;
using System.Text.Json.Nodes;
using CalendarGrains.Silo.Auth;
using CalendarGrains.Silo.Hosting;
using CalendarGrains.Silo.Http;
using CalendarGrains.Silo.Tools;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CalendarGrains.Silo.Vapi;

/// <summary>
/// The calendar tools for Vapi assistants: their definitions for the tenant to create at Vapi, and
/// the endpoint Vapi posts tool calls to. Tool calls always answer 200 with a result or an error
/// per call (Vapi reads nothing else); only a wrong secret is refused, with 401.
/// </summary>
public static class VapiToolsApi
{
    public static string ToolCallsPath(string tenantId) => $"/v1/vapi/tool-calls/{tenantId}";

    public static IEndpointRouteBuilder MapVapiToolsApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/v1/vapi/tools", DefinitionsAsync).RequireAuthorization(AuthPolicies.Tenant).WithTags("Calendar tools")
            .WithName("GetVapiTools").WithSummary("Vapi function-tool definitions (check_availability, list_events, create_event, update_event, cancel_event) pointing at this service.");
        app.MapPost("/v1/vapi/tool-calls/{tenantId}", ToolCallsAsync).AllowAnonymous().DisableAntiforgery().WithTags("Calendar tools")
            .WithName("VapiToolCalls").WithSummary("Vapi's tool-calls messages: runs the tools on the call's connection, in order; always 200 with results (X-Vapi-Secret required).");
        app.MapToolSettingsApi();
        return app;
    }

    private static async Task<Results<Ok<JsonArray>, ProblemHttpResult>> DefinitionsAsync(ClaimsPrincipal user, VapiServerSecret secret, PublicUrls urls)
    {
        var tenantId = user.TenantId();
        var serverSecret = await secret.OpenAsync(tenantId);
        return serverSecret is null
            ? Problems.NotFound("tenant")
            : TypedResults.Ok(ToolDefinitions.For(urls.For(ToolCallsPath(tenantId)), serverSecret));
    }

    private static async Task<Results<Ok<ToolCallsResponse>, ProblemHttpResult>> ToolCallsAsync(
        string tenantId, HttpRequest request, VapiServerSecret secret, CalendarTools tools)
    {
        if (!await secret.IsValidAsync(tenantId, request.Headers[VapiServerSecret.Header]))
        {
            return Problems.Of(StatusCodes.Status401Unauthorized, ProblemCodes.Unauthorized, "Unauthorized",
                $"{VapiServerSecret.Header} is missing or is not this tenant's vapiServerSecret.");
        }

        ToolCallMessage message;
        try
        {
            using var body = await StrictJson.ParseAsync(request.Body, request.HttpContext.RequestAborted);
            message = ToolCallMessage.Read(body.RootElement);
        }
        catch (JsonException)
        {
            message = ToolCallMessage.Empty; // Nothing to answer, but still a 200: Vapi reads only results.
        }

        return TypedResults.Ok(new ToolCallsResponse(await tools.RunAsync(tenantId, message, request.HttpContext.RequestAborted)));
    }
}
