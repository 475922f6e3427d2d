using System.ComponentModel.DataAnnotations;
using CalendarGrains.Silo.Validation;

namespace CalendarGrains.Silo.Connections;

/// <summary><c>POST /v1/connect-sessions</c>.</summary>
public sealed record CreateConnectSessionRequest(
    [Required, StringLength(256, MinimumLength = 1)] string EndUserId,
    [Required, HttpUrl] string ReturnUrl,
    [MinLength(1), MaxLength(50)] IReadOnlyList<string>? Scopes,
    [StringLength(320, MinimumLength = 1)] string? LoginHint);

public sealed record ConnectSessionResponse(string Id, string ConnectUrl, DateTimeOffset ExpiresAt);
