using CalendarGrains.Tests.Infrastructure;

namespace CalendarGrains.Tests.Hosting;

/// <summary>
/// The silo binary refusing to start, as an operator sees it: one sentence naming the setting on
/// stderr, no stack trace, nothing on stdout, exit code 1 (2 for a command line that is not settings).
/// </summary>
public sealed class StartupRefusalTests(RedisServer redis)
{
    private static readonly TimeSpan ExitDeadline = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task RedisMode_WithoutPublicBaseUrl_ExitsWithOneNamingItAndCode1()
    {
        var settings = Complete();
        settings.Remove("PublicBaseUrl");

        var (code, output, error) = await SiloProcess.RunToExitAsync(Args(settings), ExitDeadline);

        Assert.Equal(1, code);
        AssertOneRefusal(output, error, "PublicBaseUrl is not set");
    }

    [Fact]
    public async Task RedisMode_WithoutItsKeys_NamesEveryMissingSettingOnce_WithoutAStackTrace()
    {
        var settings = Complete();
        settings.Remove("Admin:ApiKey");
        settings.Remove("Encryption:ActiveKeyId");

        var (code, output, error) = await SiloProcess.RunToExitAsync(Args(settings), ExitDeadline);

        Assert.Equal(1, code);
        AssertOneRefusal(output, error, "Admin:ApiKey is not set");
        Assert.Single(Occurrences(error, "Encryption:ActiveKeyId is not set"));
    }

    [Theory]
    [InlineData("http://127.0.0.1:8080", "loopback")]
    [InlineData("https://localhost", "loopback")]
    [InlineData("http://calendar.example.com", "is not HTTPS")]
    public async Task RedisMode_WithAnInsecurePublicBaseUrl_RefusesUnlessAllowed(string url, string reason)
    {
        var settings = Complete();
        settings["PublicBaseUrl"] = url;
        settings.Remove("AllowInsecurePublicBaseUrl");

        var (code, output, error) = await SiloProcess.RunToExitAsync(Args(settings), ExitDeadline);

        Assert.Equal(1, code);
        AssertOneRefusal(output, error, reason);
        Assert.Contains("AllowInsecurePublicBaseUrl=true", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WithoutRedis_TheProductionSiloRefuses_PointingAtTheSandboxHost()
    {
        var (code, output, error) = await SiloProcess.RunToExitAsync(
            [$"--urls=http://127.0.0.1:{FreePort.Next()}", $"--Orleans:SiloPort={FreePort.Next()}", $"--Orleans:GatewayPort={FreePort.Next()}"],
            ExitDeadline);

        Assert.Equal(1, code);
        AssertOneRefusal(output, error, "Redis:ConnectionString is not set");
        Assert.Contains("dotnet run --project src/CalendarGrains.Sandbox.Host", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("stray-word")]
    [InlineData("-urls=http://127.0.0.1:1")]
    [InlineData("--urls")]
    public async Task ACommandLineThatIsNotSettings_ExitsWithCode2AndTheUsage(string argument)
    {
        var (code, output, error) = await SiloProcess.RunToExitAsync([argument], ExitDeadline);

        Assert.Equal(2, code);
        Assert.Empty(output);
        Assert.Contains("usage:", error, StringComparison.Ordinal);
        Assert.Contains(argument, error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ASettingOfTheWrongType_ExitsWithCode1NamingIt()
    {
        var settings = Complete();
        settings["Orleans:SiloPort"] = "eleven";

        var (code, output, error) = await SiloProcess.RunToExitAsync(Args(settings), ExitDeadline);

        Assert.Equal(1, code);
        AssertOneRefusal(output, error, "'Orleans:SiloPort'");
    }

    /// <summary>A Redis-mode configuration that starts (the tests remove or spoil one setting).</summary>
    private Dictionary<string, string?> Complete()
    {
        var settings = ServiceHost.InRedisMode(redis);
        settings["urls"] = $"http://127.0.0.1:{FreePort.Next()}";
        settings["Orleans:SiloPort"] = FreePort.Next().ToString();
        settings["Orleans:GatewayPort"] = FreePort.Next().ToString();
        settings["Admin:ApiKey"] = ServiceHost.AdminKey;
        settings["PublicBaseUrl"] = "https://calendar.example.com";
        settings["AllowInsecurePublicBaseUrl"] = "true";
        return settings;
    }

    private static string[] Args(Dictionary<string, string?> settings) => [.. settings.Select(pair => $"--{pair.Key}={pair.Value}")];

    private static void AssertOneRefusal(string output, string error, string expected)
    {
        Assert.Empty(output.Trim());
        Assert.Single(Occurrences(error, "cannot start"));
        Assert.Single(Occurrences(error, expected));
        Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", error, StringComparison.Ordinal);
    }

    private static IEnumerable<int> Occurrences(string text, string value)
    {
        for (var at = text.IndexOf(value, StringComparison.Ordinal); at >= 0; at = text.IndexOf(value, at + value.Length, StringComparison.Ordinal))
        {
            yield return at;
        }
    }
}
