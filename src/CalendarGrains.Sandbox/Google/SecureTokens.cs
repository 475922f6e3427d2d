using System.Buffers.Text;
using System.Security.Cryptography;

namespace CalendarGrains.Sandbox.Google;

/// <summary>Unguessable token strings with Google's recognisable prefixes.</summary>
internal static class SecureTokens
{
    /// <summary>Access tokens start with <c>ya29.</c>.</summary>
    public static string AccessToken() => "ya29." + RandomPart(48);

    /// <summary>Refresh tokens start with <c>1//</c>.</summary>
    public static string RefreshToken() => "1//" + RandomPart(48);

    /// <summary>
    /// Authorization codes start with <c>4/0</c>; the slash makes a client that forgets to URL-encode
    /// the code fail here as it would against Google.
    /// </summary>
    public static string AuthorizationCode() => "4/0" + RandomPart(32);

    public static string Id() => RandomPart(16);

    private static string RandomPart(int bytes) => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(bytes));
}
