using System.Text;
using CalendarGrains.Webhooks;

namespace CalendarGrains.Tests.Webhooks;

public sealed class StandardWebhookSignerTests
{
    // The example of the Standard Webhooks spec; the expected value was also produced by the
    // reference JavaScript library (standardwebhooks 1.1.1, Webhook.sign) with these inputs.
    private const string SpecSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private const string SpecId = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    private const long SpecTimestamp = 1614265330;
    private const string SpecBody = "{\"test\": 2432232314}";
    private const string SpecSignature = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";

    [Fact]
    public void Sign_TheSpecExample_GivesTheSpecSignature()
    {
        var signer = new StandardWebhookSigner(SpecSecret);

        Assert.Equal(SpecSignature, signer.Sign(SpecId, SpecTimestamp, Encoding.UTF8.GetBytes(SpecBody)));
    }

    [Fact]
    public void Sign_AnyMessage_MatchesAnIndependentHmacOverIdTimestampAndBody()
    {
        var secret = "whsec_" + Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        const string body = "{\"type\":\"connection.created\",\"data\":{\"name\":\"Zoë\"}}";

        var signature = new StandardWebhookSigner(secret).Sign("evt_1", 1_800_000_000, Encoding.UTF8.GetBytes(body));

        Assert.Equal(IndependentWebhookVerifier.ExpectedSignature(secret, "evt_1", "1800000000", body), signature);
        Assert.NotEqual(signature, new StandardWebhookSigner(secret).Sign("evt_2", 1_800_000_000, Encoding.UTF8.GetBytes(body)));
        Assert.NotEqual(signature, new StandardWebhookSigner(secret).Sign("evt_1", 1_800_000_001, Encoding.UTF8.GetBytes(body)));
    }

    [Fact]
    public void Constructor_WithoutThePrefix_UsesTheSameKey()
    {
        var withPrefix = new StandardWebhookSigner(SpecSecret);
        var withoutPrefix = new StandardWebhookSigner(SpecSecret["whsec_".Length..]);

        Assert.Equal(
            withPrefix.Sign(SpecId, SpecTimestamp, Encoding.UTF8.GetBytes(SpecBody)),
            withoutPrefix.Sign(SpecId, SpecTimestamp, Encoding.UTF8.GetBytes(SpecBody)));
    }

    [Theory]
    [InlineData("whsec_not base64!")]
    [InlineData("whsec_====")]
    public void Constructor_ABadSecret_FailsWithoutEchoingIt(string secret)
    {
        var error = Assert.Throws<FormatException>(() => new StandardWebhookSigner(secret));

        Assert.DoesNotContain(secret, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_AnEmptyKey_IsRefused() => Assert.Throws<FormatException>(() => new StandardWebhookSigner("whsec_"));
}
