namespace CalendarGrains.Security;

/// <summary>
/// A secret as it is stored: AES-256-GCM over the plaintext (nonce, ciphertext and tag in
/// <see cref="Payload"/>), with the id of the key that sealed it so older keys keep decrypting
/// after a rotation.
/// </summary>
[GenerateSerializer, Immutable, Alias("cg.EncryptedSecret")]
public sealed record EncryptedSecret([property: Id(0)] string KeyId, [property: Id(1)] byte[] Payload)
{
    /// <summary>Never prints the payload: records print their members by default.</summary>
    public override string ToString() => $"EncryptedSecret(key {KeyId})";
}
