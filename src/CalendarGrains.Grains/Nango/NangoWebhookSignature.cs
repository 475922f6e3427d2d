using System.Security.Cryptography;
using System.Text;

namespace CalendarGrains.Nango;

/// <summary>
/// How Nango signs a webhook (its <c>@nangohq/webhooks</c> <c>deliver</c>): <c>X-Nango-Hmac-Sha256</c> is
/// the hex HMAC-SHA256 of the raw body under the signing key (what <c>verifyIncomingWebhookRequest</c>
/// checks); <c>X-Nango-Signature</c> is the hex SHA-256 of the key followed by the body (the deprecated
/// <c>verifyWebhookSignature</c>; open to length extension, sent only because old handlers check it).
/// </summary>
public static class NangoWebhookSignature
{
    public const string HmacHeader = "X-Nango-Hmac-Sha256";
    public const string LegacyHeader = "X-Nango-Signature";

    public static string Hmac(string signingKey, ReadOnlySpan<byte> body) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(signingKey), body));

    public static string Legacy(string signingKey, ReadOnlySpan<byte> body)
    {
        var key = Encoding.UTF8.GetBytes(signingKey);
        var both = new byte[key.Length + body.Length];
        key.CopyTo(both, 0);
        body.CopyTo(both.AsSpan(key.Length));
        return Convert.ToHexStringLower(SHA256.HashData(both));
    }
}
