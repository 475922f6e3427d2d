using System.Net;
using CalendarGrains.Silo.WebConsole.Data;
using CalendarGrains.Tests.Connections;
using CalendarGrains.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace CalendarGrains.Tests.WebConsole;

/// <summary>The live numbers come from the meters behind <c>/metrics</c>, and only this host's.</summary>
public sealed class LiveNumbersTests(SandboxHostFixture fixture) : IClassFixture<SandboxHostFixture>
{
    private LiveNumbers Numbers => fixture.Host.Services.GetRequiredService<LiveNumbers>();

    [Fact]
    public async Task TokenRequests_ShowAsHandoutsRefreshesAndGoogleErrors()
    {
        var host = fixture.Host;
        var numbers = Numbers;
        using var kit = await ConnectionKit.CreateAsync(host);
        var connection = await kit.ConnectAsync("numbers-user", "numbers@example.com");
        var (handouts, refreshes, failed, grants) = (Total(numbers.Handouts), Total(numbers.Refreshes), Total(numbers.FailedRequests), GoogleErrors(numbers, "invalid_grant"));

        await kit.TokenOkAsync(connection);
        await kit.TokenOkAsync(connection);
        await kit.TokenOkAsync(connection, forceRefresh: true);
        kit.Google.RevokeUser("numbers@example.com");
        Assert.Equal(HttpStatusCode.Conflict, (await kit.TokenAsync(connection, forceRefresh: true)).StatusCode);

        Assert.Equal(handouts + 3, Total(numbers.Handouts));
        Assert.Equal(refreshes + 1, Total(numbers.Refreshes));
        Assert.Equal(failed + 1, Total(numbers.FailedRequests));
        Assert.Equal(grants + 1, GoogleErrors(numbers, "invalid_grant"));

        using var console = new ConsoleClient(host);
        await console.SignInAsync(ServiceHost.AdminKey);
        var page = await console.GetPageAsync("/console/live");
        Assert.Contains("Google error <code>invalid_grant</code>", page, StringComparison.Ordinal);
        Assert.Contains("<svg class=\"sparkline\"", page, StringComparison.Ordinal);
    }

    private long Total(MinuteSeries series) => series.LastHour(Numbers.CurrentMinute).Sum();

    private static long GoogleErrors(LiveNumbers numbers, string code) =>
        numbers.GoogleErrors().Where(series => series.Code == code).Sum(series => series.PerMinute.Sum());
}
