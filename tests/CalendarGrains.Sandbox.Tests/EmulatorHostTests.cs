namespace CalendarGrains.Sandbox.Tests;

public sealed class EmulatorHostTests(EmulatorFixture emulators) : IClassFixture<EmulatorFixture>
{
    [Fact]
    public async Task StartOnFreePort_ServesTheGoogleEmulatorOnLoopback()
    {
        emulators.Google.RegisterClient("client-1", "secret-1");

        var response = await emulators.Http.GetAsync("/google/_emulator/stats", TestContext.Current.CancellationToken);

        Assert.Equal("127.0.0.1", emulators.BaseUrl.Host);
        Assert.True(response.IsSuccessStatusCode);
    }
}
