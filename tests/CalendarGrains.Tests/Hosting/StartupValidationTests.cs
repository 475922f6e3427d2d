using CalendarGrains.Silo.Hosting;
using CalendarGrains.Tests.Infrastructure;
using Microsoft.Extensions.Options;

namespace CalendarGrains.Tests.Hosting;

/// <summary>In Redis mode a missing key is a refusal to start with a sentence naming the setting.</summary>
public sealed class StartupValidationTests(RedisServer redis)
{
    [Theory]
    [InlineData("Encryption:ActiveKeyId", "Encryption:ActiveKeyId")]
    [InlineData("Encryption:Keys:k1", "Encryption:Keys:k1")]
    [InlineData("Admin:ApiKey", "Admin:ApiKey")]
    [InlineData("PublicBaseUrl", "PublicBaseUrl")]
    public async Task RedisMode_WithoutASetting_RefusesToStartNamingIt(string missing, string named)
    {
        var settings = ServiceHost.InRedisMode(redis);
        settings["Admin:ApiKey"] = ServiceHost.AdminKey;
        settings["PublicBaseUrl"] = "https://calendar.example.com";
        settings["urls"] = "http://127.0.0.1:0";
        settings.Remove(missing);
        await using var app = CalendarGrainsApp.Build([.. settings.Select(pair => $"--{pair.Key}={pair.Value}")]);

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync(TestContext.Current.CancellationToken));

        Assert.Contains(named, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RedisMode_WithAKeyThatIsNot32Bytes_RefusesToStart()
    {
        var settings = ServiceHost.InRedisMode(redis);
        settings["Admin:ApiKey"] = ServiceHost.AdminKey;
        settings["PublicBaseUrl"] = "https://calendar.example.com";
        settings["Encryption:Keys:k1"] = Convert.ToBase64String(new byte[16]);
        await using var app = CalendarGrainsApp.Build([.. settings.Select(pair => $"--{pair.Key}={pair.Value}")]);

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync(TestContext.Current.CancellationToken));

        Assert.Contains("Encryption:Keys:k1 is not base64 of exactly 32 bytes", error.Message, StringComparison.Ordinal);
    }
}
