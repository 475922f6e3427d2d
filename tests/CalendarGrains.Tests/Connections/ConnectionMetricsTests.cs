using CalendarGrains.Tests.Infrastructure;

namespace CalendarGrains.Tests.Connections;

public sealed class ConnectionMetricsTests(FakeClockHostFixture fixture) : IClassFixture<FakeClockHostFixture>
{
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;

    [Fact]
    public async Task Metrics_CountTokenRequestsByOutcome_AndRefreshesByResult_WithoutIdsOrSecrets()
    {
        using var kit = await ConnectionKit.CreateAsync(fixture.Host);
        var id = await kit.ConnectAsync("metered", "metered@example.com");
        var token = await kit.TokenOkAsync(id); // from the cache (the consent left a token)
        fixture.Clock.Advance(TimeSpan.FromHours(2));
        await kit.TokenOkAsync(id); // refreshed
        kit.Google.RevokeUser("metered@example.com");
        await kit.TokenAsync(id, forceRefresh: true); // invalid_grant

        var metrics = await Eventually.HoldsAsync(
            () => fixture.Host.Http.GetStringAsync("/metrics", _ct),
            text => text.Contains("result=\"invalid_grant\"", StringComparison.Ordinal),
            because: "the scrape shows the failed refresh");

        Assert.Contains("calendargrains_token_requests_total{", metrics, StringComparison.Ordinal);
        Assert.Contains("outcome=\"cache\"", metrics, StringComparison.Ordinal);
        Assert.Contains("outcome=\"refreshed\"", metrics, StringComparison.Ordinal);
        Assert.Contains("outcome=\"needs_reauth\"", metrics, StringComparison.Ordinal);
        Assert.Contains("calendargrains_token_refreshes_total{", metrics, StringComparison.Ordinal);
        Assert.Contains("result=\"success\"", metrics, StringComparison.Ordinal);
        Assert.Contains("calendargrains_connections", metrics, StringComparison.Ordinal);
        Assert.DoesNotContain(id, metrics, StringComparison.Ordinal);
        Assert.DoesNotContain(kit.Tenant.Id, metrics, StringComparison.Ordinal);
        Assert.DoesNotContain(token.AccessToken, metrics, StringComparison.Ordinal);
        Assert.DoesNotContain(kit.Tenant.ApiKey, metrics, StringComparison.Ordinal);
    }
}
