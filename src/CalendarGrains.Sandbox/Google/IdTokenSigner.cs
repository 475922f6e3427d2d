using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace CalendarGrains.Sandbox.Google;

/// <summary>
/// Signs id_tokens with RS256 and a key made when the emulator starts, and publishes that key as a
/// JWKS, so a client can verify id_tokens exactly as it verifies Google's.
/// </summary>
internal sealed class IdTokenSigner : IDisposable
{
    /// <summary>Google's issuer: clients check it, so the emulator uses the real one.</summary>
    public const string Issuer = "https://accounts.google.com";

    /// <summary>Google's id_tokens are valid for an hour.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(1);

    private readonly RSA _key = RSA.Create(2048);
    private readonly string _keyId = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(20));

    public string Sign(GoogleIdTokenClaims claims)
    {
        var header = Encode(JsonSerializer.SerializeToUtf8Bytes(new JwtHeader("RS256", _keyId, "JWT"), GoogleWireJson.Default.JwtHeader));
        var payload = Encode(JsonSerializer.SerializeToUtf8Bytes(claims, GoogleWireJson.Default.GoogleIdTokenClaims));
        var signingInput = $"{header}.{payload}";
        var signature = _key.SignData(Encoding.ASCII.GetBytes(signingInput), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return $"{signingInput}.{Encode(signature)}";
    }

    /// <summary>OpenID Connect's at_hash: the left half of the access token's SHA-256, base64url.</summary>
    public static string AccessTokenHash(string accessToken)
    {
        var hash = SHA256.HashData(Encoding.ASCII.GetBytes(accessToken));
        return Encode(hash.AsSpan(0, hash.Length / 2));
    }

    public JsonWebKeySet PublicKeys()
    {
        var parameters = _key.ExportParameters(includePrivateParameters: false);
        return new JsonWebKeySet([new JsonWebKey("RSA", "RS256", "sig", _keyId, Encode(parameters.Modulus!), Encode(parameters.Exponent!))]);
    }

    public void Dispose() => _key.Dispose();

    private static string Encode(ReadOnlySpan<byte> bytes) => Base64Url.EncodeToString(bytes);
}
