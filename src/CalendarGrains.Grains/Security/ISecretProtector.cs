namespace CalendarGrains.Security;

/// <summary>Seals secrets for storage and opens them again.</summary>
/// <remarks>
/// The <c>purpose</c> (e.g. <c>tenant/ten_1/google-client-secret</c>) is bound into the
/// ciphertext as associated data, so a sealed value copied onto another record does not open.
/// </remarks>
public interface ISecretProtector
{
    EncryptedSecret Protect(string plaintext, string purpose);

    /// <exception cref="SecretUnreadableException">No configured key opens it, or it was tampered with.</exception>
    string Unprotect(EncryptedSecret secret, string purpose);

    /// <summary>True when the secret was sealed with a key other than the active one (it should be re-sealed).</summary>
    bool NeedsResealing(EncryptedSecret secret);
}

/// <summary>A stored secret could not be opened: its key is not configured, or the data is damaged.</summary>
public sealed class SecretUnreadableException(string message, Exception? inner = null) : Exception(message, inner);
