using System.Text.Json.Nodes;
using CalendarGrains.Calls;

namespace CalendarGrains.Vapi;

/// <summary>
/// The body of <c>POST /call</c> for one of our calls. Built from stored data only, so every
/// attempt for a call sends the same request, and every attempt carries our call id.
/// </summary>
public static class VapiCallRequest
{
    /// <summary>The member of <c>assistantOverrides.variableValues</c> and <c>.metadata</c> carrying our call id.</summary>
    public const string CallIdVariable = "callId";

    /// <summary>The member carrying the connection id (the calendar tools read it, docs/api.md).</summary>
    public const string ConnectionIdVariable = "connectionId";

    public static JsonObject Build(string callId, CallDefinition call, VapiCredentialItem credential)
    {
        var body = new JsonObject();
        if (call.AssistantJson is { } assistant)
        {
            body["assistant"] = JsonNode.Parse(assistant);
        }
        else
        {
            body["assistantId"] = call.AssistantId;
        }

        var overrides = call.AssistantOverridesJson is { } given ? JsonNode.Parse(given)!.AsObject() : [];
        var credentials = overrides["credentials"] as JsonArray ?? [];
        credentials.Add(new JsonObject
        {
            ["provider"] = credential.Provider,
            ["authorizationId"] = credential.AuthorizationId,
            ["name"] = credential.Name,
        });
        overrides["credentials"] = credentials;
        overrides["variableValues"] = WithIds(overrides["variableValues"] as JsonObject, callId, call.ConnectionId);
        overrides["metadata"] = WithIds(overrides["metadata"] as JsonObject, callId, call.ConnectionId);
        body["assistantOverrides"] = overrides;
        body["phoneNumberId"] = call.PhoneNumberId;
        var customer = new JsonObject { ["number"] = call.Customer.Number };
        if (call.Customer.Name is { } name)
        {
            customer["name"] = name;
        }

        body["customer"] = customer;
        return body;
    }

    /// <summary>Our ids win over members of the same name the tenant put there.</summary>
    private static JsonObject WithIds(JsonObject? given, string callId, string connectionId)
    {
        var values = given ?? [];
        values[ConnectionIdVariable] = connectionId;
        values[CallIdVariable] = callId;
        return values;
    }
}
