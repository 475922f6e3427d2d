using System.Xml.Linq;
using CalendarGrains.Security;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.StackExchangeRedis;
using Microsoft.AspNetCore.DataProtection.XmlEncryption;

namespace CalendarGrains.Silo.Hosting;

/// <summary>
/// The keys behind the console's session cookies and anti-forgery tokens. In a cluster they live in
/// Redis, so a cookie one silo issued opens on every other and after restarts, sealed at rest with
/// our own <c>Encryption:Keys</c> (AES-256-GCM, like every other secret in Redis). The sandbox keeps
/// them in memory: it is one process, and nothing of it survives a restart anyway.
/// </summary>
public static class DataProtectionSetup
{
    public static IServiceCollection AddCalendarGrainsDataProtection(this IServiceCollection services, ServiceMode mode, IConfiguration configuration)
    {
        var dataProtection = services.AddDataProtection();
        if (!mode.UsesRedis)
        {
            dataProtection.UseEphemeralDataProtectionProvider();
            return services;
        }

        var serviceId = configuration[$"{OrleansSettings.Section}:ServiceId"] ?? new OrleansSettings().ServiceId;

        // Note: the default application name is the content root, which differs between machines;
        // silos of one service must share it or they cannot read each other's cookies.
        dataProtection.SetApplicationName($"calendargrains/{serviceId}");
        services.AddOptions<KeyManagementOptions>().Configure<SharedRedis, IServiceProvider>((options, redis, provider) =>
        {
            // Note: the key ring's API is synchronous; the connection is the process's shared one,
            // already open by the time a cookie is first read or written.
            options.XmlRepository = new RedisXmlRepository(() => redis.ConnectAsync().GetAwaiter().GetResult().GetDatabase(), $"{serviceId}/data-protection-keys");
            // Note: the protector is resolved when a key is first sealed, not here. The pipeline
            // builds data protection while the app is built (anti-forgery), and a bad
            // Encryption:* setting must surface as the start-up refusal that names it.
            options.XmlEncryptor = new SealedXmlEncryptor(provider);
        });
        return services;
    }
}

/// <summary>Seals a data-protection key's XML with <see cref="ISecretProtector"/> before it is stored.</summary>
public sealed class SealedXmlEncryptor(IServiceProvider services) : IXmlEncryptor
{
    public const string Purpose = "data-protection/key";

    public EncryptedXmlInfo Encrypt(XElement plaintextElement)
    {
        var sealedKey = services.GetRequiredService<ISecretProtector>().Protect(plaintextElement.ToString(SaveOptions.DisableFormatting), Purpose);
        var element = new XElement("sealedKey", new XAttribute("keyId", sealedKey.KeyId), Convert.ToBase64String(sealedKey.Payload));
        return new EncryptedXmlInfo(element, typeof(SealedXmlDecryptor));
    }
}

/// <summary>Opens what <see cref="SealedXmlEncryptor"/> sealed; data protection creates it by type, with the service provider.</summary>
public sealed class SealedXmlDecryptor(IServiceProvider services) : IXmlDecryptor
{
    public XElement Decrypt(XElement encryptedElement)
    {
        var keyId = encryptedElement.Attribute("keyId")?.Value ?? throw new InvalidOperationException("A sealed data-protection key names no encryption key.");
        var secret = new EncryptedSecret(keyId, Convert.FromBase64String(encryptedElement.Value));
        return XElement.Parse(services.GetRequiredService<ISecretProtector>().Unprotect(secret, SealedXmlEncryptor.Purpose));
    }
}
