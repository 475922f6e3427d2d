using CalendarGrains.Sandbox.Google.Calendar;
using CalendarGrains.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace CalendarGrains.Tests.Nango;

/// <summary>A sandbox service whose proxy backs off in milliseconds, so retry tests stay short.</summary>
public sealed class NangoProxyHostFixture : IAsyncLifetime
{
    public ServiceHost Host { get; private set; } = null!;

    public GoogleCalendarEmulator Calendar => Host.Services.GetRequiredService<GoogleCalendarEmulator>();

    public async ValueTask InitializeAsync() => Host = await ServiceHost.StartAsync(new Dictionary<string, string?>
    {
        ["Nango:Proxy:RetryDelay"] = "00:00:00.020",
        ["Nango:Proxy:RetryMaxDelay"] = "00:00:00.200",
    });

    public async ValueTask DisposeAsync() => await Host.DisposeAsync();
}
