using System.Security.Cryptography;
using System.Text;

namespace CalendarGrains.Tests.Webhooks;

/// <summary>
/// The Standard Webhooks check written from the spec, sharing no code with the product: what a
/// tenant would write by hand.
/// </summary>
public static class IndependentWebhookVerifier
{
    public static string ExpectedSignature(string secret, string id, string timestamp, string body)
    {
        Assert.StartsWith("whsec_", secret, StringComparison.Ordinal);
        var key = Convert.FromBase64String(secret.Substring("whsec_".Length));
        using var hmac = new HMACSHA256(key);
        var mac = hmac.ComputeHash(Encoding.UTF8.GetBytes(id + "." + timestamp + "." + body));
        return "v1," + Convert.ToBase64String(mac);
    }

    /// <summary>True when one of the space-separated signatures in the header matches.</summary>
    public static bool Verifies(string secret, string id, string timestamp, string signatureHeader, string body)
    {
        var expected = ExpectedSignature(secret, id, timestamp, body);
        return signatureHeader.Split(' ').Any(candidate => CryptographicOperations.FixedTimeEquals(
            Encoding.ASCII.GetBytes(candidate), Encoding.ASCII.GetBytes(expected)));
    }
}
