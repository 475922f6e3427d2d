using CalendarGrains.Silo.Operations;
using CalendarGrains.Tests.Infrastructure;

namespace CalendarGrains.Tests.Hosting;

/// <summary><c>--probe &lt;url&gt;</c>, the container health check: 0 on a 2xx, 1 otherwise, 2 on bad arguments.</summary>
public sealed class HealthProbeTests(SandboxHostFixture fixture) : IClassFixture<SandboxHostFixture>
{
    // Generous: on a shared 2-core machine a first request can take seconds; no case here waits it out.
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Probe_OfALiveEndpoint_ExitsZero()
    {
        var error = new StringWriter();

        var code = await HealthProbe.RunAsync([HealthProbe.Argument, new Uri(fixture.Host.BaseUrl, "/health/live").ToString()], error, Timeout);

        Assert.True(code == 0, error.ToString());
        Assert.Empty(error.ToString());
    }

    [Fact]
    public async Task Probe_OfANon2xxAnswer_ExitsOneAndSaysTheStatus()
    {
        var error = new StringWriter();

        var code = await HealthProbe.RunAsync([HealthProbe.Argument, new Uri(fixture.Host.BaseUrl, "/health/nothing-here").ToString()], error, Timeout);

        Assert.Equal(1, code);
        Assert.Contains("404", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Probe_OfAClosedPort_ExitsOne()
    {
        var code = await HealthProbe.RunAsync([HealthProbe.Argument, $"http://127.0.0.1:{FreePort.Next()}/health/live"], new StringWriter(), Timeout);

        Assert.Equal(1, code);
    }

    [Theory]
    [InlineData("--probe")]
    [InlineData("--probe", "not-a-url")]
    [InlineData("--probe", "ftp://127.0.0.1/x")]
    [InlineData("--probe", "http://127.0.0.1:8080/health/live", "extra")]
    public async Task Probe_WithBadArguments_ExitsTwoWithUsage(params string[] args)
    {
        var error = new StringWriter();

        var code = await HealthProbe.RunAsync(args, error, Timeout);

        Assert.Equal(HealthProbe.UsageError, code);
        Assert.Contains("usage", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void IsRequested_OnlyWhenTheFirstArgumentIsProbe()
    {
        Assert.True(HealthProbe.IsRequested(["--probe", "http://127.0.0.1/"]));
        Assert.False(HealthProbe.IsRequested([]));
        Assert.False(HealthProbe.IsRequested(["--urls", "http://127.0.0.1:8080", "--probe"]));
    }
}
