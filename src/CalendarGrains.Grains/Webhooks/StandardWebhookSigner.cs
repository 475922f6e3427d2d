using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace CalendarGrains.Webhooks;

/// <summary>
/// Signs a delivery as the Standard Webhooks spec says: <c>v1,</c> and the base64 HMAC-SHA256 of
/// <c>{id}.{timestamp}.{body}</c>, keyed by the bytes the secret's base64 (after <c>whsec_</c>)
/// decodes to, so any Standard Webhooks library verifies it unchanged.
/// </summary>
public sealed class StandardWebhookSigner
{
    public const string SecretPrefix = "whsec_";

    private readonly byte[][] _keys;

    /// <param name="secret">The tenant's webhook secret, <c>whsec_</c> and base64 (the prefix is optional, as in the reference libraries).</param>
    /// <exception cref="FormatException">The secret is not base64 or decodes to nothing.</exception>
    public StandardWebhookSigner(string secret)
        : this([secret])
    {
    }

    /// <param name="secrets">
    /// The current secret first, then one a rotation replaced: during its grace every message is
    /// signed with each (the header lists the signatures, space-separated, as the spec allows), so a
    /// receiver still on the old secret verifies as well as one already on the new.
    /// </param>
    /// <exception cref="FormatException">A secret is not base64 or decodes to nothing.</exception>
    public StandardWebhookSigner(IReadOnlyList<string> secrets)
    {
        ArgumentNullException.ThrowIfNull(secrets);
        _keys = [.. secrets.Select(Key)];
    }

    /// <summary>The <c>webhook-signature</c> header value for this message.</summary>
    public string Sign(string messageId, long timestamp, ReadOnlySpan<byte> body)
    {
        if (_keys.Length == 1)
        {
            return Sign(_keys[0], messageId, timestamp, body);
        }

        var signatures = new string[_keys.Length];
        for (var i = 0; i < _keys.Length; i++)
        {
            signatures[i] = Sign(_keys[i], messageId, timestamp, body);
        }

        return string.Join(' ', signatures);
    }

    private static byte[] Key(string secret)
    {
        ArgumentNullException.ThrowIfNull(secret);
        var encoded = secret.StartsWith(SecretPrefix, StringComparison.Ordinal) ? secret[SecretPrefix.Length..] : secret;
        // Note: the exception says nothing about the value; it must never carry the secret into a log.
        return TryDecode(encoded) ?? throw new FormatException("The webhook secret is not whsec_ followed by base64.");
    }

    private static string Sign(byte[] key, string messageId, long timestamp, ReadOnlySpan<byte> body)
    {
        using var hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, key);
        hmac.AppendData(Encoding.UTF8.GetBytes(messageId));
        hmac.AppendData("."u8);
        hmac.AppendData(Encoding.ASCII.GetBytes(timestamp.ToString(CultureInfo.InvariantCulture)));
        hmac.AppendData("."u8);
        hmac.AppendData(body);
        return "v1," + Convert.ToBase64String(hmac.GetHashAndReset());
    }

    private static byte[]? TryDecode(string encoded)
    {
        var buffer = new byte[encoded.Length];
        return Convert.TryFromBase64String(encoded, buffer, out var written) && written > 0 ? buffer[..written] : null;
    }
}
