namespace CalendarGrains.Security;

/// <summary>
/// AES-256-GCM keys for secrets at rest. New secrets are sealed with <see cref="ActiveKeyId"/>;
/// every key under <see cref="Keys"/> still opens what it sealed, which is how a key rotates.
/// </summary>
public sealed class EncryptionOptions
{
    public const string Section = "Encryption";

    /// <summary>The id, under <see cref="Keys"/>, of the key that seals new secrets.</summary>
    public string? ActiveKeyId { get; set; }

    /// <summary>Key id to base64 of 32 random bytes.</summary>
    public Dictionary<string, string> Keys { get; set; } = new(StringComparer.Ordinal);
}
