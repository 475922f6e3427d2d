using System.Text.Json.Serialization;

namespace CalendarGrains.Sandbox.Google;

// The JSON shapes Google sends, with Google's snake_case names. They are serialized through
// GoogleWireJson, never through the host's JSON options, so a host that changes its naming policy
// or trims reflection cannot change the wire.

/// <summary>The token endpoint's success body.</summary>
internal sealed record GoogleTokenResponse(
    [property: JsonPropertyName("access_token")] string AccessToken,
    [property: JsonPropertyName("expires_in")] long ExpiresIn,
    [property: JsonPropertyName("scope")] string Scope,
    [property: JsonPropertyName("token_type")] string TokenType,
    [property: JsonPropertyName("refresh_token")] string? RefreshToken,
    [property: JsonPropertyName("id_token")] string? IdToken);

/// <summary>An OAuth error body: <c>{"error","error_description"}</c>.</summary>
internal sealed record GoogleOAuthErrorBody(
    [property: JsonPropertyName("error")] string Error,
    [property: JsonPropertyName("error_description")] string? ErrorDescription);

/// <summary>Google's generic API error (what its front ends send for 429 and 5xx).</summary>
internal sealed record GoogleApiErrorBody([property: JsonPropertyName("error")] GoogleApiError Error);

internal sealed record GoogleApiError(
    [property: JsonPropertyName("code")] int Code,
    [property: JsonPropertyName("message")] string Message,
    [property: JsonPropertyName("status")] string Status);

/// <summary>The OpenID Connect userinfo body; claims appear only for the scopes granted.</summary>
internal sealed record GoogleUserInfo(
    [property: JsonPropertyName("sub")] string Sub,
    [property: JsonPropertyName("name")] string? Name,
    [property: JsonPropertyName("given_name")] string? GivenName,
    [property: JsonPropertyName("picture")] string? Picture,
    [property: JsonPropertyName("email")] string? Email,
    [property: JsonPropertyName("email_verified")] bool? EmailVerified);

/// <summary>The id_token's claims.</summary>
internal sealed record GoogleIdTokenClaims(
    [property: JsonPropertyName("iss")] string Issuer,
    [property: JsonPropertyName("azp")] string AuthorizedParty,
    [property: JsonPropertyName("aud")] string Audience,
    [property: JsonPropertyName("sub")] string Subject,
    [property: JsonPropertyName("email")] string? Email,
    [property: JsonPropertyName("email_verified")] bool? EmailVerified,
    [property: JsonPropertyName("at_hash")] string AccessTokenHash,
    [property: JsonPropertyName("nonce")] string? Nonce,
    [property: JsonPropertyName("iat")] long IssuedAt,
    [property: JsonPropertyName("exp")] long ExpiresAt);

internal sealed record JwtHeader(
    [property: JsonPropertyName("alg")] string Algorithm,
    [property: JsonPropertyName("kid")] string KeyId,
    [property: JsonPropertyName("typ")] string Type);

/// <summary>The signing keys, as <c>https://www.googleapis.com/oauth2/v3/certs</c> publishes them.</summary>
internal sealed record JsonWebKeySet([property: JsonPropertyName("keys")] IReadOnlyList<JsonWebKey> Keys);

internal sealed record JsonWebKey(
    [property: JsonPropertyName("kty")] string KeyType,
    [property: JsonPropertyName("alg")] string Algorithm,
    [property: JsonPropertyName("use")] string Use,
    [property: JsonPropertyName("kid")] string KeyId,
    [property: JsonPropertyName("n")] string Modulus,
    [property: JsonPropertyName("e")] string Exponent);

internal sealed record EmptyJsonObject;

[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(GoogleTokenResponse))]
[JsonSerializable(typeof(GoogleOAuthErrorBody))]
[JsonSerializable(typeof(GoogleApiErrorBody))]
[JsonSerializable(typeof(GoogleUserInfo))]
[JsonSerializable(typeof(GoogleIdTokenClaims))]
[JsonSerializable(typeof(JwtHeader))]
[JsonSerializable(typeof(JsonWebKeySet))]
[JsonSerializable(typeof(EmptyJsonObject))]
internal sealed partial class GoogleWireJson : JsonSerializerContext;
