using System.ComponentModel.DataAnnotations;
using System.Text.Json;

namespace CalendarGrains.Silo.Connections;

/// <summary><c>POST /v1/connections</c>: import an existing grant (e.g. from Nango), optionally keeping its id.</summary>
public sealed record ImportConnectionRequest(
    [StringLength(256, MinimumLength = 1)] string? Id,
    [Required, StringLength(256, MinimumLength = 1)] string EndUserId,
    [Required, StringLength(4096, MinimumLength = 1)] string RefreshToken,
    [StringLength(4096, MinimumLength = 1)] string? AccessToken,
    DateTimeOffset? ExpiresAt,
    [MaxLength(50)] IReadOnlyList<string>? Scopes,
    JsonElement? Metadata)
{
    public override string ToString() => $"ImportConnectionRequest({Id ?? "new"}, {EndUserId})";
}

/// <summary><c>PATCH /v1/connections/{id}</c>: replaces the metadata object.</summary>
public sealed record UpdateConnectionRequest([Required] JsonElement? Metadata);

/// <summary><c>POST /v1/connections/{id}/token</c> (the body is optional).</summary>
public sealed record TokenRequestBody(
    [Range(0, CalendarGrains.Connections.TokenRequest.MaxMinValiditySeconds)] int? MinValiditySeconds,
    bool? ForceRefresh);

public sealed record AccessTokenResponse(string AccessToken, string TokenType, DateTimeOffset ExpiresAt, IReadOnlyList<string> Scopes)
{
    public override string ToString() => $"AccessTokenResponse(expires {ExpiresAt:O})";
}

/// <summary>A body for Vapi's credential API: Vapi fetches tokens from our <c>/oauth2/token</c>.</summary>
public sealed record VapiCustomCredentialResponse(string Provider, string Name, VapiOAuth2AuthenticationPlan AuthenticationPlan);

public sealed record VapiOAuth2AuthenticationPlan(string Type, string Url, string ClientId, string ClientSecret)
{
    public override string ToString() => $"VapiOAuth2AuthenticationPlan({ClientId})";
}
