using System.Buffers.Text;
using System.Security.Cryptography;

namespace CalendarGrains.Common;

/// <summary>Random secrets with a prefix that says what they are (so a leaked one is recognisable in a scan).</summary>
public static class SecretGenerator
{
    /// <summary>A tenant API key: <c>cgk_</c> and 32 random bytes, URL-safe.</summary>
    public static string ApiKey() => "cgk_" + RandomUrlSafe(32);

    /// <summary>
    /// A Standard Webhooks secret: <c>whsec_</c> and base64 of 32 random bytes; the HMAC key is
    /// the decoded bytes, as the spec says, so tenants verify with any Standard Webhooks library.
    /// </summary>
    public static string WebhookSecret() => "whsec_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    /// <summary>The secret Vapi sends back in <c>X-Vapi-Secret</c> on its server messages.</summary>
    public static string VapiServerSecret() => "vss_" + RandomUrlSafe(32);

    /// <summary>A client secret for a Vapi custom credential (the <c>/oauth2/token</c> endpoint).</summary>
    public static string ClientSecret() => "cgs_" + RandomUrlSafe(32);

    public static string RandomUrlSafe(int bytes) => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(bytes));
}
