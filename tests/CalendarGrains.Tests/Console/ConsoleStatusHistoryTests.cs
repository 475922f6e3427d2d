using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using CalendarGrains.Connections;
using CalendarGrains.Silo.WebConsole.Data;
using CalendarGrains.Tests.Connections;
using CalendarGrains.Tests.Infrastructure;

namespace CalendarGrains.Tests.WebConsole;

/// <summary>A connection's console page shows the status history its grain recorded, with the reasons, and invents none.</summary>
public sealed partial class ConsoleStatusHistoryTests(SandboxHostFixture fixture) : IClassFixture<SandboxHostFixture>
{
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;

    [Fact]
    public async Task ConnectionPage_ShowsTheRecordedChangesOldestFirst_WithTheirReasons()
    {
        using var kit = await ConnectionKit.CreateAsync(fixture.Host);
        var id = await kit.ConnectAsync("history-user", "history@example.com");

        // The user removes our access at Google; the next refresh learns it; then they connect again.
        Assert.Equal(1, kit.Google.RevokeUser("history@example.com"));
        Assert.Equal(HttpStatusCode.Conflict, (await kit.TokenAsync(id, forceRefresh: true)).StatusCode);
        var again = await kit.Api.PostAsJsonAsync("/v1/connections?validate=false", new { id, endUserId = "history-user", refreshToken = "1//again" }, _ct);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);

        using var console = new ConsoleClient(fixture.Host);
        await console.SignInAsync(kit.Tenant.ApiKey);
        var page = await console.GetPageAsync($"/console/t/{kit.Tenant.Id}/connections/{id}");

        var history = HistoryList().Match(page);
        Assert.True(history.Success, "the page has its status history");
        var steps = HistoryStep().Matches(history.Groups[1].Value).Select(step => (step.Groups["status"].Value, step.Groups["reason"].Value)).ToList();
        Assert.Equal([("active", "created"), ("needs_reauth", "invalid_grant"), ("active", "reconnected")], steps);
        Assert.DoesNotContain("no-status-history", page, StringComparison.Ordinal);

        // The reason reads as a word of its own after the time, not glued to it.
        Assert.Contains("</time><span class=\"hint\"> created</span>", history.Groups[1].Value, StringComparison.Ordinal);
    }

    [Fact]
    public void Of_AConnectionStoredBeforeHistoriesWereKept_ShowsNoStepItDidNotRecord()
    {
        var at = new DateTimeOffset(2026, 11, 24, 9, 0, 0, TimeSpan.Zero);
        var old = new ConnectionView("c1", "u1", Providers.Google, ConnectionStatus.NeedsReauth, [], null, at, at.AddDays(3), null, null,
            new ConnectionError("invalid_grant", "Token has been expired or revoked.", at.AddDays(3)), null, "t1");

        Assert.False(ConnectionStatusHistory.IsRecorded(old));
        Assert.Empty(ConnectionStatusHistory.Of(old));
        Assert.Empty(ConnectionStatusHistory.Of(old with { StatusHistory = [] }));
    }

    [Fact]
    public void Of_ARecordedHistory_IsShownAsRecorded()
    {
        var at = new DateTimeOffset(2026, 11, 24, 9, 0, 0, TimeSpan.Zero);
        ConnectionStatusChange[] recorded = [new(ConnectionStatus.Active, at, "created"), new(ConnectionStatus.NeedsReauth, at.AddDays(7), "invalid_grant")];
        var view = new ConnectionView("c1", "u1", Providers.Google, ConnectionStatus.NeedsReauth, [], null, at, at.AddDays(7), null, null, null, null, "t1", recorded);

        Assert.True(ConnectionStatusHistory.IsRecorded(view));
        Assert.Equal(
            [new ConnectionStatusStep(ConnectionStatus.Active, at, "created"), new ConnectionStatusStep(ConnectionStatus.NeedsReauth, at.AddDays(7), "invalid_grant")],
            ConnectionStatusHistory.Of(view));
    }

    [GeneratedRegex("""<ol class="history" data-testid="status-history">(.*?)</ol>""", RegexOptions.Singleline)]
    private static partial Regex HistoryList();

    [GeneratedRegex("""<li><span class="badge [a-z]+" data-status="(?<status>[a-z_]+)">.*?</time>(?:<span class="hint"> ?(?<reason>[a-z_]+)</span>)?</li>""", RegexOptions.Singleline)]
    private static partial Regex HistoryStep();
}
