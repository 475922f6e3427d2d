using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace CalendarGrains.Sandbox.Tests.Google;

/// <summary>A PKCE pair made the way RFC 7636 describes (independently of the emulator's code).</summary>
public sealed record Pkce(string Verifier, string Challenge)
{
    public static Pkce CreateS256()
    {
        var verifier = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
        return new Pkce(verifier, Base64Url.EncodeToString(SHA256.HashData(Encoding.ASCII.GetBytes(verifier))));
    }
}
