using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace CalendarGrains.Sandbox.Google;

/// <summary>A PKCE code challenge (RFC 7636) as sent to the authorization endpoint.</summary>
internal sealed record PkceChallenge(string Value, string Method)
{
    public const string S256 = "S256";
    public const string Plain = "plain";

    /// <summary>RFC 7636 §4.1: 43 to 128 characters from the unreserved set; challenges share the shape.</summary>
    public static bool IsWellFormed(string value) =>
        value.Length is >= 43 and <= 128 && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_' or '~');

    public bool IsSatisfiedBy(string verifier)
    {
        if (!IsWellFormed(verifier))
        {
            return false;
        }

        var expected = Method == S256
            ? Base64Url.EncodeToString(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)))
            : verifier;
        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(Value));
    }
}
