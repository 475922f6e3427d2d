using System.ComponentModel.DataAnnotations;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace CalendarGrains.Silo.Calls;

/// <summary><c>POST /v1/calls</c>.</summary>
public sealed record CreateCallRequest(
    [Required, StringLength(256, MinimumLength = 1)] string ConnectionId,
    [Required] CallCustomerRequest Customer,
    [StringLength(100, MinimumLength = 1)] string? AssistantId,
    JsonElement? Assistant,
    JsonElement? AssistantOverrides,
    [StringLength(100, MinimumLength = 1)] string? PhoneNumberId,
    DateTimeOffset? ScheduledAt,
    JsonElement? Metadata)
{
    private static readonly JsonSerializerOptions HashJson = new(JsonSerializerDefaults.Web);

    /// <summary>
    /// What "the same body" means for an idempotency key: the request as parsed, members in
    /// ordinal order at every level, times in UTC, so spacing and member order do not matter.
    /// </summary>
    public string Hash()
    {
        var node = JsonSerializer.SerializeToNode(this with { ScheduledAt = ScheduledAt?.ToUniversalTime() }, HashJson);
        var canonical = Canonical(node)?.ToJsonString() ?? "null";
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)));
    }

    public override string ToString() => $"CreateCallRequest({ConnectionId})";

    private static JsonNode? Canonical(JsonNode? node) => node switch
    {
        JsonObject obj => new JsonObject(obj.OrderBy(member => member.Key, StringComparer.Ordinal)
            .Select(member => KeyValuePair.Create(member.Key, Canonical(member.Value)))),
        JsonArray array => new JsonArray([.. array.Select(Canonical)]),
        _ => node?.DeepClone(),
    };
}

/// <summary>Who to call: an E.164 number (Vapi's rule) and an optional name (Vapi allows 40 characters).</summary>
public sealed record CallCustomerRequest(
    [Required, RegularExpression(@"^\+[1-9][0-9]{1,14}$", ErrorMessage = "The number must be in E.164 format, e.g. +15550100.")] string Number,
    [StringLength(40, MinimumLength = 1)] string? Name)
{
    public override string ToString() => "CallCustomerRequest";
}
