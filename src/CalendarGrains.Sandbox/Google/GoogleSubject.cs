using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace CalendarGrains.Sandbox.Google;

/// <summary>Google's <c>sub</c>: a stable, numeric-looking account id.</summary>
internal static class GoogleSubject
{
    /// <summary>
    /// Derived from the email, so the same person keeps the same id across emulator restarts and resets
    /// (a real Google account id never changes either). Shaped like Google's: 21 digits starting with 1.
    /// </summary>
    public static string ForEmail(string email)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(email));
        // Any ulong has at most 20 digits, so the id is always exactly 21.
        return "1" + BitConverter.ToUInt64(hash, 0).ToString("D20", CultureInfo.InvariantCulture);
    }
}
