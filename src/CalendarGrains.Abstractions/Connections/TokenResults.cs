namespace CalendarGrains.Connections;

/// <summary>What a caller asks of a token.</summary>
[GenerateSerializer, Immutable, Alias("cg.TokenRequest")]
public sealed record TokenRequest(
    [property: Id(0)] int MinValiditySeconds = TokenRequest.DefaultMinValiditySeconds,
    [property: Id(1)] bool ForceRefresh = false)
{
    public const int DefaultMinValiditySeconds = 300;

    /// <summary>Google's access tokens live about an hour; asking for more can never be met.</summary>
    public const int MaxMinValiditySeconds = 3300;
}

/// <summary>
/// The answer to a token request. Expected failures are values, not exceptions (as in
/// Duende's AccessTokenResult), so the HTTP layer maps each to its status without guessing.
/// </summary>
[GenerateSerializer, Immutable, Alias("cg.TokenResult")]
public abstract record TokenResult;

/// <summary>A token valid until <see cref="ExpiresAt"/>.</summary>
[GenerateSerializer, Immutable, Alias("cg.TokenIssued")]
public sealed record TokenIssued(
    [property: Id(0)] string AccessToken,
    [property: Id(1)] DateTimeOffset ExpiresAt,
    [property: Id(2)] IReadOnlyList<string> Scopes) : TokenResult
{
    public override string ToString() => $"TokenIssued(expires {ExpiresAt:O})";
}

/// <summary>No such connection for this caller.</summary>
[GenerateSerializer, Immutable, Alias("cg.TokenNotFound")]
public sealed record TokenNotFound : TokenResult;

/// <summary>The grant is dead (Google said invalid_grant): only a new consent helps.</summary>
[GenerateSerializer, Immutable, Alias("cg.TokenNeedsReauth")]
public sealed record TokenNeedsReauth([property: Id(0)] ConnectionError Error) : TokenResult;

/// <summary>Google refused the tenant's OAuth client (invalid_client): the tenant's configuration must be fixed.</summary>
[GenerateSerializer, Immutable, Alias("cg.TokenClientRejected")]
public sealed record TokenClientRejected([property: Id(0)] ConnectionError Error, [property: Id(1)] TimeSpan RetryAfter) : TokenResult;

/// <summary>Google did not answer well and no cached token is valid: retry after <see cref="RetryAfter"/>.</summary>
[GenerateSerializer, Immutable, Alias("cg.TokenProviderUnavailable")]
public sealed record TokenProviderUnavailable([property: Id(0)] ConnectionError Error, [property: Id(1)] TimeSpan RetryAfter) : TokenResult;
