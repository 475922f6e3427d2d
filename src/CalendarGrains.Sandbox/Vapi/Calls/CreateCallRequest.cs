using System.Text.Json;

namespace CalendarGrains.Sandbox.Vapi.Calls;

/// <summary>A validated <c>POST /call</c> body, kept exactly as sent (tests read it back) with typed views of what the emulator acts on.</summary>
internal sealed record CreateCallRequest(JsonElement Body, DateTimeOffset? EarliestAt)
{
    public string? String(string name) =>
        Body.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    public JsonElement? Element(string name) =>
        Body.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? value : null;

    public JsonElement? Customer => Element("customer");

    public JsonElement? Assistant => Element("assistant");

    public JsonElement? AssistantOverrides => Element("assistantOverrides");

    /// <summary>What the call dials: the customer's number, else its SIP URI (the key of the per-number outcome map).</summary>
    public string? DialTarget =>
        Customer is { } customer
            ? StringMember(customer, "number") ?? StringMember(customer, "sipUri")
            : null;

    private static string? StringMember(JsonElement owner, string name) =>
        owner.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
