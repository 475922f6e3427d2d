using System.Text.Json;
using System.Text.Json.Nodes;
using CalendarGrains.Connections;
using CalendarGrains.Tenants;
using CalendarGrains.Vapi;

namespace CalendarGrains.Silo.PhoneNumbers;

/// <summary>
/// Vapi's <c>assistant-request</c> (SDK <c>ServerMessageAssistantRequest</c>): an inbound call on one of the
/// tenant's numbers asks which assistant answers. The answer (SDK <c>ServerMessageResponseAssistantRequest</c>,
/// sent as the response body) names the assistant and carries the number's connection in
/// <c>assistantOverrides.variableValues.connectionId</c> and <c>.metadata.connectionId</c>, where the calendar
/// tools read it, as on the calls we place. Anything that keeps the call from being served is an
/// <c>error</c>, which Vapi speaks to the caller and then hangs up. Vapi waits at most 7.5 s for this answer;
/// it takes two or three grain reads.
/// </summary>
public static partial class InboundAssistant
{
    public const string MessageType = "assistant-request";

    /// <summary>Spoken to the caller: says nothing about the setup, which the log tells the operator.</summary>
    public const string NotServed = "Sorry, this number cannot take calls right now. Please try again later.";

    public static bool IsAssistantRequest(JsonElement root) =>
        root.ValueKind == JsonValueKind.Object && root.TryGetProperty("message", out var message) && message.ValueKind == JsonValueKind.Object
        && message.TryGetProperty("type", out var type) && type.ValueKind == JsonValueKind.String && type.GetString() == MessageType;

    public static async Task<JsonObject> AnswerAsync(IGrainFactory grains, string tenantId, JsonElement root, ILogger logger)
    {
        var message = root.GetProperty("message");
        var call = Object(message, "call");
        var phoneNumberId = call is { } c ? Text(c, "phoneNumberId") : null;
        var number = (Object(message, "phoneNumber") ?? (call is { } withNumber ? Object(withNumber, "phoneNumber") : null)) is { } line ? Text(line, "number") : null;
        var route = await PhoneNumberRouting.RouteForAsync(grains, tenantId, phoneNumberId, number);
        if (route is null)
        {
            LogUnrouted(logger, tenantId, phoneNumberId ?? "", number ?? "");
            return Refuse();
        }

        var connectionId = await PhoneNumberRouting.ConnectionOfAsync(grains, tenantId, route);
        var view = connectionId is null ? null : await grains.GetGrain<IConnectionGrain>(connectionId).GetAsync(tenantId);
        if (view is null)
        {
            LogNoConnection(logger, tenantId, route.Key);
            return Refuse();
        }

        var assistantId = route.AssistantId ?? (await grains.GetGrain<ITenantGrain>(tenantId).GetAsync())?.Vapi.AssistantId;
        if (assistantId is null)
        {
            LogNoAssistant(logger, tenantId, route.Key);
            return Refuse();
        }

        var variables = new JsonObject { [VapiCallRequest.ConnectionIdVariable] = view.Id };
        if (route.TimeZone is { } zone)
        {
            variables["timeZone"] = zone;
        }

        var credential = VapiCredentials.ItemFor(view);
        return new JsonObject
        {
            ["assistantId"] = assistantId,
            ["assistantOverrides"] = new JsonObject
            {
                ["variableValues"] = variables,
                ["metadata"] = new JsonObject { [VapiCallRequest.ConnectionIdVariable] = view.Id },
                ["credentials"] = new JsonArray(new JsonObject
                {
                    ["provider"] = credential.Provider,
                    ["authorizationId"] = credential.AuthorizationId,
                    ["name"] = credential.Name,
                }),
            },
        };
    }

    private static JsonObject Refuse() => new() { ["error"] = NotServed };

    private static JsonElement? Object(JsonElement owner, string name) =>
        owner.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Object ? value : null;

    private static string? Text(JsonElement owner, string name) =>
        owner.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } text ? text : null;

    [LoggerMessage(EventId = 1101, EventName = "InboundCallUnrouted", Level = LogLevel.Warning, Message = "Inbound call for tenant {TenantId} on phone number id '{PhoneNumberId}' / '{Number}', which has no route; refused")]
    private static partial void LogUnrouted(ILogger logger, string tenantId, string phoneNumberId, string number);

    [LoggerMessage(EventId = 1102, EventName = "InboundCallWithoutConnection", Level = LogLevel.Warning, Message = "Inbound call for tenant {TenantId} on {PhoneNumber}: its route names no existing connection; refused")]
    private static partial void LogNoConnection(ILogger logger, string tenantId, string phoneNumber);

    [LoggerMessage(EventId = 1103, EventName = "InboundCallWithoutAssistant", Level = LogLevel.Warning, Message = "Inbound call for tenant {TenantId} on {PhoneNumber}: neither the route nor the tenant names a Vapi assistant; refused")]
    private static partial void LogNoAssistant(ILogger logger, string tenantId, string phoneNumber);
}
