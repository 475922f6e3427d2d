using System.ComponentModel.DataAnnotations;
using CalendarGrains.Connections;
using CalendarGrains.Silo.Validation;

namespace CalendarGrains.Silo.Connections;

/// <summary><c>POST /v1/connect-sessions</c>.</summary>
public sealed record CreateConnectSessionRequest(
    [Required, StringLength(256, MinimumLength = 1)] string EndUserId,
    [Required, HttpUrl] string ReturnUrl,
    [MinLength(1), MaxLength(50)] IReadOnlyList<string>? Scopes,
    [StringLength(320, MinimumLength = 1)] string? LoginHint);

public sealed record ConnectSessionResponse(string Id, string ConnectUrl, DateTimeOffset ExpiresAt);

/// <summary><c>GET /v1/connect-sessions/{id}</c>: <c>status</c> is <c>pending</c>, <c>connected</c> or <c>expired</c>.</summary>
public sealed record ConnectSessionDetails(
    string Id,
    string EndUserId,
    string? ReturnUrl,
    string ConnectUrl,
    DateTimeOffset ExpiresAt,
    string Status,
    string? ConnectionId)
{
    public static ConnectSessionDetails From(ConnectSessionView view, string connectUrl) => new(
        view.Id, view.EndUserId, view.ReturnUrl, connectUrl, view.ExpiresAt, view.Status.ToString().ToLowerInvariant(), view.ConnectionId);
}
