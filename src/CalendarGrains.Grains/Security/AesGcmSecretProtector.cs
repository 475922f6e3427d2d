using System.Collections.Frozen;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace CalendarGrains.Security;

/// <summary>
/// AES-256-GCM with a random 96-bit nonce per secret. Payload layout:
/// <c>[version 1][nonce 12][tag 16][ciphertext]</c>.
/// </summary>
public sealed class AesGcmSecretProtector : ISecretProtector
{
    private const byte FormatVersion = 1;
    private const int NonceSize = 12;
    private const int TagSize = 16;
    private const int HeaderSize = 1 + NonceSize + TagSize;

    private readonly FrozenDictionary<string, byte[]> _keys;
    private readonly string _activeKeyId;

    public AesGcmSecretProtector(IOptions<EncryptionOptions> options)
    {
        var value = options.Value;
        _activeKeyId = value.ActiveKeyId ?? throw new InvalidOperationException("Encryption:ActiveKeyId is not set.");
        _keys = value.Keys.ToFrozenDictionary(pair => pair.Key, pair => Convert.FromBase64String(pair.Value.Trim()), StringComparer.Ordinal);
    }

    public EncryptedSecret Protect(string plaintext, string purpose)
    {
        var plain = Encoding.UTF8.GetBytes(plaintext);
        var payload = new byte[HeaderSize + plain.Length];
        payload[0] = FormatVersion;
        var nonce = payload.AsSpan(1, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using (var aes = new AesGcm(_keys[_activeKeyId], TagSize))
        {
            aes.Encrypt(nonce, plain, payload.AsSpan(HeaderSize), payload.AsSpan(1 + NonceSize, TagSize), Encoding.UTF8.GetBytes(purpose));
        }

        CryptographicOperations.ZeroMemory(plain);
        return new EncryptedSecret(_activeKeyId, payload);
    }

    public string Unprotect(EncryptedSecret secret, string purpose)
    {
        if (!_keys.TryGetValue(secret.KeyId, out var key))
        {
            throw new SecretUnreadableException($"The secret was sealed with key '{secret.KeyId}', which is not under Encryption:Keys.");
        }

        var payload = secret.Payload;
        if (payload.Length < HeaderSize || payload[0] != FormatVersion)
        {
            throw new SecretUnreadableException($"The secret sealed with key '{secret.KeyId}' is not in a known format.");
        }

        var plain = new byte[payload.Length - HeaderSize];
        try
        {
            using var aes = new AesGcm(key, TagSize);
            aes.Decrypt(payload.AsSpan(1, NonceSize), payload.AsSpan(HeaderSize), payload.AsSpan(1 + NonceSize, TagSize), plain, Encoding.UTF8.GetBytes(purpose));
            return Encoding.UTF8.GetString(plain);
        }
        catch (AuthenticationTagMismatchException e)
        {
            throw new SecretUnreadableException($"The secret sealed with key '{secret.KeyId}' does not open: wrong key material or damaged data.", e);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plain);
        }
    }

    public bool NeedsResealing(EncryptedSecret secret) => !string.Equals(secret.KeyId, _activeKeyId, StringComparison.Ordinal);
}
