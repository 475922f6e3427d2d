using CalendarGrains.Security;
using CalendarGrains.Tests.Infrastructure;
using Microsoft.Extensions.Options;

namespace CalendarGrains.Tests.Security;

public sealed class AesGcmSecretProtectorTests
{
    private static AesGcmSecretProtector Protector(string active, params (string Id, string Key)[] keys) =>
        new(Options.Create(new EncryptionOptions { ActiveKeyId = active, Keys = keys.ToDictionary(k => k.Id, k => k.Key) }));

    [Fact]
    public void Protect_ThenUnprotect_RoundTripsAndHidesThePlaintext()
    {
        var protector = Protector("a", ("a", ServiceHost.NewEncryptionKey()));

        var sealedSecret = protector.Protect("refresh-token-1//abc", "connection/c1/refresh-token");

        Assert.Equal("a", sealedSecret.KeyId);
        Assert.DoesNotContain("refresh-token", System.Text.Encoding.Latin1.GetString(sealedSecret.Payload), StringComparison.Ordinal);
        Assert.Equal("refresh-token-1//abc", protector.Unprotect(sealedSecret, "connection/c1/refresh-token"));
        Assert.DoesNotContain("abc", sealedSecret.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Protect_TwiceTheSameValue_GivesDifferentCiphertexts()
    {
        var protector = Protector("a", ("a", ServiceHost.NewEncryptionKey()));

        Assert.NotEqual(protector.Protect("same", "p").Payload, protector.Protect("same", "p").Payload);
    }

    [Fact]
    public void Unprotect_UnderAnotherPurpose_Fails()
    {
        var protector = Protector("a", ("a", ServiceHost.NewEncryptionKey()));
        var sealedSecret = protector.Protect("secret", "tenant/t1/google-client-secret");

        Assert.Throws<SecretUnreadableException>(() => protector.Unprotect(sealedSecret, "tenant/t2/google-client-secret"));
    }

    [Fact]
    public void Unprotect_TamperedPayload_Fails()
    {
        var protector = Protector("a", ("a", ServiceHost.NewEncryptionKey()));
        var sealedSecret = protector.Protect("secret", "p");
        sealedSecret.Payload[^1] ^= 0x01;

        Assert.Throws<SecretUnreadableException>(() => protector.Unprotect(sealedSecret, "p"));
    }

    [Fact]
    public void Rotation_OldKeyStillOpens_NewSecretsUseTheActiveKey()
    {
        var (oldKey, newKey) = (ServiceHost.NewEncryptionKey(), ServiceHost.NewEncryptionKey());
        var sealedBefore = Protector("old", ("old", oldKey)).Protect("secret", "p");
        var rotated = Protector("new", ("old", oldKey), ("new", newKey));

        Assert.Equal("secret", rotated.Unprotect(sealedBefore, "p"));
        Assert.True(rotated.NeedsResealing(sealedBefore));
        Assert.Equal("new", rotated.Protect("secret", "p").KeyId);
        Assert.Throws<SecretUnreadableException>(() => Protector("new", ("new", newKey)).Unprotect(sealedBefore, "p"));
    }

    [Theory]
    [InlineData(null, "Encryption:ActiveKeyId is not set")]
    [InlineData("missing", "Encryption:Keys:missing is not set")]
    public void Validator_NamesTheSettingToFix(string? active, string expected)
    {
        var result = new EncryptionOptionsValidator().Validate(null, new EncryptionOptions { ActiveKeyId = active, Keys = { ["a"] = ServiceHost.NewEncryptionKey() } });

        Assert.True(result.Failed);
        Assert.Contains(expected, result.FailureMessage, StringComparison.Ordinal);
    }
}
