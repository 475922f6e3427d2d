using System.Text.Json;
using System.Text.Json.Serialization;

namespace CalendarGrains.Calls;

/// <summary>The call's wire shape (docs/api.md): what the API returns and what call webhooks carry.</summary>
public sealed record CallResource(
    string Id,
    string ConnectionId,
    CallStatus Status,
    string? VapiCallId,
    CallCustomerResource Customer,
    string? AssistantId,
    string PhoneNumberId,
    DateTimeOffset? ScheduledAt,
    string? EndedReason,
    double? Cost,
    IReadOnlyList<CallStatusChangeResource> StatusHistory,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? EndedAt,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] CallErrorResource? LastError,
    JsonElement Metadata)
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private static readonly JsonElement EmptyObject = JsonDocument.Parse("{}").RootElement.Clone();

    public static CallResource From(CallView view) => new(
        view.Id,
        view.ConnectionId,
        view.Status,
        view.VapiCallId,
        new CallCustomerResource(view.Customer.Number, view.Customer.Name),
        view.AssistantId,
        view.PhoneNumberId,
        view.ScheduledAt,
        view.EndedReason,
        view.Cost,
        [.. view.StatusHistory.Select(change => new CallStatusChangeResource(change.Status, change.At, change.Reason))],
        view.CreatedAt,
        view.UpdatedAt,
        view.StartedAt,
        view.EndedAt,
        view.LastError is { } error ? new CallErrorResource(error.Code, error.Message, error.At) : null,
        view.MetadataJson is null ? EmptyObject : JsonDocument.Parse(view.MetadataJson).RootElement.Clone());

    /// <summary>The <c>data</c> of a call webhook.</summary>
    public static string Serialize(CallView view) => JsonSerializer.Serialize(From(view), Json);
}

public sealed record CallCustomerResource(
    string Number,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Name);

/// <summary>One entry of <c>statusHistory</c>: <c>{"status","at","reason"?}</c>, oldest first, the last 20 changes.</summary>
public sealed record CallStatusChangeResource(
    CallStatus Status,
    DateTimeOffset At,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Reason);

public sealed record CallErrorResource(string Code, string Message, DateTimeOffset At);
