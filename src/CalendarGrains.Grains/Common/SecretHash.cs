using System.Security.Cryptography;
using System.Text;

namespace CalendarGrains.Common;

/// <summary>
/// SHA-256 of a high-entropy secret (API keys, client secrets). A fast hash is right here: the
/// secrets are 256-bit random values, not passwords, so there is nothing to brute-force.
/// </summary>
public static class SecretHash
{
    public static string Of(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    /// <summary>Compares a presented secret with a stored hash in constant time.</summary>
    public static bool Matches(string presented, string storedHash)
    {
        Span<byte> actual = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(presented), actual);
        Span<byte> expected = stackalloc byte[32];
        return Convert.FromHexString(storedHash, expected, out _, out var written) == System.Buffers.OperationStatus.Done
            && written == 32
            && CryptographicOperations.FixedTimeEquals(actual, expected);
    }
}
