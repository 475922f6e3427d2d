using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using CalendarGrains.Sandbox.Vapi;
using CalendarGrains.Tests.Calls;
using CalendarGrains.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace CalendarGrains.Tests.WebConsole;

/// <summary>The connection list: filters by id prefix, end user and status, paged through the index.</summary>
public sealed partial class ConsoleListTests(SandboxHostFixture fixture) : IClassFixture<SandboxHostFixture>
{
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;

    private ServiceHost Host => fixture.Host;

    [Fact]
    public async Task IdPrefix_ListsExactlyTheIdsThatStartWithIt_PageByPage()
    {
        var tenant = await TestTenants.CreateAsync(Host);
        using var api = Host.Client(tenant.ApiKey);
        foreach (var id in Enumerable.Range(0, 55).Select(i => $"clinic-a-{i:D3}").Concat(["clinic-b-000", "clinic-0", "clinic-a"]))
        {
            var imported = await api.PostAsJsonAsync("/v1/connections?validate=false", new { id, endUserId = "user-" + id, refreshToken = "1//" + id }, _ct);
            Assert.Equal(HttpStatusCode.Created, imported.StatusCode);
        }

        using var console = new ConsoleClient(Host);
        await console.SignInAsync(tenant.ApiKey);

        var first = await console.GetPageAsync($"/console/t/{tenant.Id}/connections?prefix=clinic-a");
        var next = NextLink().Match(first);
        Assert.True(next.Success, "a full first page links to the next");
        var second = await console.GetPageAsync(WebUtility.HtmlDecode(next.Groups[1].Value));

        var listed = Ids(first).Concat(Ids(second)).ToList();
        Assert.Equal(["clinic-a", .. Enumerable.Range(0, 55).Select(i => $"clinic-a-{i:D3}")], listed);
        Assert.Equal(50, Ids(first).Count);
        Assert.False(NextLink().IsMatch(second), "the prefix's last page has no next");

        var byUser = await console.GetPageAsync($"/console/t/{tenant.Id}/connections?endUser=user-clinic-b-000");
        Assert.Equal(["clinic-b-000"], Ids(byUser));
        Assert.Empty(Ids(await console.GetPageAsync($"/console/t/{tenant.Id}/connections?status=needs_reauth")));
        Assert.Contains("<span class=\"figure\">58</span>", await console.GetPageAsync($"/console/t/{tenant.Id}/connections"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task CallsPage_ShowsTheLiveCallTheLineBehindItAndNewestFirst()
    {
        var vapi = Host.Services.GetRequiredService<VapiEmulator>();
        vapi.Use(EmulatorSettings.Manual);
        using var scenario = await CallScenario.StartAsync(Host, vapi, concurrencyLimit: 1);
        var first = await scenario.PlaceAcceptedAsync(scenario.Body("+15550101"));
        await scenario.WaitForAsync(first.Id, call => call.VapiCallId is not null, "dispatched to Vapi");
        var second = await scenario.PlaceAcceptedAsync(scenario.Body("+15550102"));
        using var console = new ConsoleClient(Host);
        await console.SignInAsync(scenario.Tenant.ApiKey);
        var path = $"/console/t/{scenario.Tenant.Id}/calls";

        var html = await Eventually.HoldsAsync(() => console.GetPageAsync(path), page => Section(page, "waiting-calls").Contains(second.Id, StringComparison.Ordinal),
            TimeSpan.FromSeconds(20), "the second call waits in line");

        Assert.Contains(first.Id, Section(html, "live-calls"), StringComparison.Ordinal);
        Assert.DoesNotContain(second.Id, Section(html, "live-calls"), StringComparison.Ordinal);
        var recent = Section(html, "recent-calls");
        Assert.True(recent.IndexOf(second.Id, StringComparison.Ordinal) < recent.IndexOf(first.Id, StringComparison.Ordinal), "newest first");
        Assert.Contains("1</span> waiting for a slot", html, StringComparison.Ordinal);

        var pending = await console.GetPageAsync($"{path}?status=pending");
        Assert.Contains(second.Id, Section(pending, "recent-calls"), StringComparison.Ordinal);
        Assert.DoesNotContain(first.Id, Section(pending, "recent-calls"), StringComparison.Ordinal);
    }

    /// <summary>The table a <c>data-testid</c> names.</summary>
    private static string Section(string html, string testId)
    {
        var start = html.IndexOf($"data-testid=\"{testId}\"", StringComparison.Ordinal);
        return start < 0 ? "" : html[start..html.IndexOf("</table>", start, StringComparison.Ordinal)];
    }

    private static List<string> Ids(string html) => [.. ConnectionRow().Matches(html).Select(match => match.Groups[1].Value)];

    [GeneratedRegex("<tr data-connection-id=\"([^\"]+)\"")]
    private static partial Regex ConnectionRow();

    [GeneratedRegex("<a href=\"([^\"]+)\" rel=\"next\"")]
    private static partial Regex NextLink();
}
