using System.Net;
using CalendarGrains.Tests.Infrastructure;

namespace CalendarGrains.Tests.Operations;

public sealed class DrainingTests
{
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;

    [Fact]
    public async Task OnShutdown_ReadinessTurns503_WhileRequestsAreStillServed()
    {
        var host = await ServiceHost.StartAsync(new Dictionary<string, string?> { ["Shutdown:DrainSeconds"] = "3" });
        Assert.Equal(HttpStatusCode.OK, (await host.Http.GetAsync("/health/ready", _ct)).StatusCode);

        var stopping = host.App.StopAsync(CancellationToken.None);
        await Eventually.HoldsAsync(async () => (await host.Http.GetAsync("/health/ready", _ct)).StatusCode == HttpStatusCode.ServiceUnavailable,
            TimeSpan.FromSeconds(10), "readiness turns 503 first");

        // Still draining: the API and liveness answer as before.
        Assert.False(stopping.IsCompleted);
        Assert.Equal(HttpStatusCode.OK, (await host.Http.GetAsync("/health/live", _ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await host.Admin.GetAsync("/v1/tenants", _ct)).StatusCode);
        await stopping;
        await host.DisposeAsync();
    }
}
