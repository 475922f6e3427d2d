using CalendarGrains.Sandbox.Host;
using CalendarGrains.Tests.Infrastructure;
using Microsoft.Extensions.Options;

namespace CalendarGrains.Tests.Hosting;

/// <summary>The settings that bound what storage keeps are checked at start, naming the setting.</summary>
public sealed class StorageBoundsValidationTests
{
    [Theory]
    [InlineData("ConnectSessions:Lifetime", "00:00:00")]
    [InlineData("ConnectSessions:ConsentTimeout", "-00:00:01")]
    [InlineData("Tenants:MaxApiKeys", "0")]
    [InlineData("Tenants:MaxApiKeys", "100000")]
    public async Task AValueThatCannotWork_RefusesToStart_NamingTheSetting(string setting, string value)
    {
        await using var app = SandboxHostApp.Build([
            "--urls=http://127.0.0.1:0", $"--Admin:ApiKey={ServiceHost.AdminKey}",
            $"--Orleans:SiloPort={FreePort.Next()}", $"--Orleans:GatewayPort={FreePort.Next()}", $"--{setting}={value}"]);

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync(TestContext.Current.CancellationToken));

        Assert.Contains(setting, error.Message, StringComparison.Ordinal);
    }
}
