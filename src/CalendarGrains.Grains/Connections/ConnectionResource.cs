using System.Text.Json;
using System.Text.Json.Serialization;

namespace CalendarGrains.Connections;

/// <summary>The connection's wire shape (docs/api.md): what the API returns and what webhooks carry.</summary>
public sealed record ConnectionResource(
    string Id,
    string EndUserId,
    string Provider,
    ConnectionStatus Status,
    IReadOnlyList<string> Scopes,
    string? AccountEmail,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? LastRefreshedAt,
    DateTimeOffset? AccessTokenExpiresAt,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] ConnectionErrorResource? LastError,
    JsonElement Metadata,
    IReadOnlyList<ConnectionStatusChangeResource> StatusHistory)
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private static readonly JsonElement EmptyObject = JsonDocument.Parse("{}").RootElement.Clone();

    public static ConnectionResource From(ConnectionView view) => new(
        view.Id,
        view.EndUserId,
        view.Provider,
        view.Status,
        view.Scopes,
        view.AccountEmail,
        view.CreatedAt,
        view.UpdatedAt,
        view.LastRefreshedAt,
        view.AccessTokenExpiresAt,
        view.LastError is { } error ? new ConnectionErrorResource(error.Code, error.Message, error.At) : null,
        view.MetadataJson is null ? EmptyObject : JsonDocument.Parse(view.MetadataJson).RootElement.Clone(),
        [.. (view.StatusHistory ?? []).Select(change => new ConnectionStatusChangeResource(change.Status, change.At, change.Reason))]);

    /// <summary>The <c>data</c> of a connection webhook.</summary>
    public static string Serialize(ConnectionView view) => JsonSerializer.Serialize(From(view), Json);
}

public sealed record ConnectionErrorResource(string Code, string Message, DateTimeOffset At);

/// <summary>One entry of <c>statusHistory</c>: <c>{"status","at","reason"?}</c>, oldest first, the last 20 changes.</summary>
public sealed record ConnectionStatusChangeResource(
    ConnectionStatus Status,
    DateTimeOffset At,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Reason);
