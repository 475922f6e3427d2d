using CalendarGrains.Google.Calendar;
using CalendarGrains.Google;
using CalendarGrains.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace CalendarGrains.Tests.Calendar;

/// <summary>The service in sandbox mode serves the Calendar emulator where its own endpoints say it is.</summary>
public sealed class SandboxCalendarTests(SandboxHostFixture fixture) : IClassFixture<SandboxHostFixture>
{
    [Fact]
    public async Task Client_WithTheServicesEndpoints_ReachesTheSandboxCalendar()
    {
        var endpoints = fixture.Host.Services.GetRequiredService<IGoogleEndpoints>();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton(endpoints);
        services.AddGoogleCalendarClient();
        await using var provider = services.BuildServiceProvider();
        var client = provider.GetRequiredService<GoogleCalendarClient>();
        var monday = new DateTimeOffset(2030, 1, 7, 0, 0, 0, TimeSpan.Zero);

        var answer = await client.ListEventsAsync("ya29.unknown", "primary", monday, monday.AddDays(1), null, 10, cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(new Uri(fixture.Host.BaseUrl, "/sandbox/google/calendar/v3"), endpoints.CalendarApi);
        Assert.Equal(CalendarErrorKind.Unauthorized, answer.Error?.Kind);
        Assert.Equal("authError", answer.Error?.Reason);
    }
}
