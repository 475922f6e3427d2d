using System.Security.Cryptography;
using CalendarGrains.Common;

namespace CalendarGrains.Sandbox.Host;

/// <summary>
/// What the embedded sandbox generates when it is not configured: an admin key and an ephemeral
/// encryption key. Only without Redis: a cluster must be given its keys, or it refuses to start.
/// </summary>
public sealed class SandboxDefaults
{
    public const string EphemeralKeyId = "ephemeral";

    /// <summary>The generated admin key, to print at start; null when the operator configured one.</summary>
    public string? GeneratedAdminKey { get; private init; }

    public bool GeneratedEncryptionKey { get; private init; }

    public static SandboxDefaults Apply(IConfigurationManager configuration)
    {
        var generated = new Dictionary<string, string?>();
        string? adminKey = null;
        if (string.IsNullOrWhiteSpace(configuration["Admin:ApiKey"]))
        {
            adminKey = "cga_" + SecretGenerator.RandomUrlSafe(32);
            generated["Admin:ApiKey"] = adminKey;
        }

        var encryptionConfigured = !string.IsNullOrWhiteSpace(configuration["Encryption:ActiveKeyId"]);
        if (!encryptionConfigured)
        {
            generated["Encryption:ActiveKeyId"] = EphemeralKeyId;
            generated[$"Encryption:Keys:{EphemeralKeyId}"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        }

        configuration.AddInMemoryCollection(generated);
        return new SandboxDefaults { GeneratedAdminKey = adminKey, GeneratedEncryptionKey = !encryptionConfigured };
    }
}
