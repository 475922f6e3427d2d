using System.Text.Json;
using System.Text.Json.Nodes;
using CalendarGrains.Calls;
using CalendarGrains.Silo.Http;
using CalendarGrains.Silo.PhoneNumbers;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CalendarGrains.Silo.Vapi;

/// <summary>
/// <c>POST /v1/vapi/events/{tenantId}</c>: Vapi's server messages about the tenant's calls,
/// authenticated by <c>X-Vapi-Secret</c> (the tenant's <c>vapiServerSecret</c>). Answers at once:
/// the message is handed to the call's grain one way, so a grain busy placing a call never holds
/// Vapi up (Vapi does not retry; a message lost anyway is made up for by polling).
/// </summary>
public static partial class VapiEventsApi
{
    public const string SecretHeader = VapiServerSecret.Header;

    /// <summary>End-of-call reports carry transcripts and artifacts: far more than the API's 64 KiB.</summary>
    public const long MaxBodyBytes = 4 * 1024 * 1024;

    public static string PathFor(string tenantId) => $"/v1/vapi/events/{tenantId}";

    public static IEndpointRouteBuilder MapVapiEventsApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/v1/vapi/events/{tenantId}", ReceiveAsync).AllowAnonymous().DisableAntiforgery().WithTags("Calls")
            .WithName("VapiEvents").WithSummary("Vapi's server messages (status-update, end-of-call-report) for the tenant's calls, and assistant-request for inbound calls; X-Vapi-Secret required.");
        return app;
    }

    private static async Task<Results<Ok, JsonHttpResult<JsonObject>, ProblemHttpResult>> ReceiveAsync(
        string tenantId, HttpContext context, IGrainFactory grains, VapiServerSecret secret, ILoggerFactory loggers)
    {
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = MaxBodyBytes;
        }

        if (!await secret.IsValidAsync(tenantId, context.Request.Headers[SecretHeader]))
        {
            return Problems.Of(StatusCodes.Status401Unauthorized, ProblemCodes.Unauthorized, "Unauthorized",
                $"{SecretHeader} is missing or is not this tenant's vapiServerSecret.");
        }

        JsonDocument document;
        try
        {
            document = await StrictJson.ParseAsync(context.Request.Body, context.RequestAborted);
        }
        catch (JsonException)
        {
            return Problems.InvalidField("$", "The body is not valid JSON.");
        }
        catch (BadHttpRequestException tooLarge) when (tooLarge.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return Problems.Of(StatusCodes.Status413PayloadTooLarge, ProblemCodes.PayloadTooLarge, "Payload too large",
                $"The request body is larger than {MaxBodyBytes / (1024 * 1024)} MiB.");
        }

        using (document)
        {
            // The one message Vapi waits on an answer for here: which assistant takes an inbound call.
            if (InboundAssistant.IsAssistantRequest(document.RootElement))
            {
                return TypedResults.Json(await InboundAssistant.AnswerAsync(grains, tenantId, document.RootElement, loggers.CreateLogger(typeof(InboundAssistant))));
            }

            if (VapiServerMessage.Read(document.RootElement, tenantId) is { } message)
            {
                await RouteAsync(message, grains, loggers.CreateLogger(typeof(VapiEventsApi)));
            }
        }

        return TypedResults.Ok();
    }

    private static async Task RouteAsync(VapiServerMessage message, IGrainFactory grains, ILogger logger)
    {
        var callId = CallIds.IsPlausible(message.OurCallId) ? message.OurCallId : null;
        if (callId is null && IsPlausibleVapiCallId(message.News.VapiCallId) && await grains.GetGrain<IVapiCallLinkGrain>(message.News.VapiCallId).GetAsync() is { } link &&
            string.Equals(link.TenantId, message.News.TenantId, StringComparison.Ordinal))
        {
            callId = link.CallId;
        }

        if (callId is null)
        {
            LogUnknownCall(logger, message.News.Source, message.News.VapiCallId);
            return;
        }

        // One way: returns as soon as the message is on its way to the grain.
        await grains.GetGrain<ICallDispatchGrain>(callId).ApplyVapiEventAsync(message.News);
    }

    /// <summary>Vapi's call ids are UUIDs; anything far from one is not worth a grain activation.</summary>
    private static bool IsPlausibleVapiCallId(string id) => id.Length <= 64 && id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');

    [LoggerMessage(EventId = 701, EventName = "VapiEventForUnknownCall", Level = LogLevel.Debug, Message = "Vapi {Source} about call {VapiCallId}, which is none of ours")]
    private static partial void LogUnknownCall(ILogger logger, string source, string vapiCallId);
}
