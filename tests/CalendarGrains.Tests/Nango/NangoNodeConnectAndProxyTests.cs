using System.Net;
using System.Text.Json;
using CalendarGrains.Tests.Connections;

namespace CalendarGrains.Tests.Nango;

/// <summary>
/// <c>@nangohq/node</c> 0.71.10 (<c>tests/nango-client/connect-and-proxy.mjs</c>): Connect sessions,
/// integrations and the proxy, with a tenant key as its secret key.
/// </summary>
public sealed class NangoNodeConnectAndProxyTests(NangoProxyHostFixture fixture) : IClassFixture<NangoProxyHostFixture>
{
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;

    [Fact]
    public async Task NangosNodeClient_CreatesConnectSessions_ListsIntegrations_AndProxiesToTheCalendarApi()
    {
        var (node, project) = NodeScripts.Require("nango-client", ["@nangohq/node"], [], "CI");
        using var kit = await ConnectionKit.CreateAsync(fixture.Host);
        var id = await NangoProxyTests.ImportAsync(kit, "node-proxy-1");
        var start = TimeProvider.System.GetUtcNow().AddDays(3).Date.AddHours(9);
        fixture.Calendar.FailNext(1, 503);
        var requests = fixture.Calendar.GetStats().Requests;

        var results = await NodeScripts.RunAsync(node, Path.Combine(project, "connect-and-proxy.mjs"), new Dictionary<string, string>
        {
            ["NANGO_HOST"] = kit.Host.BaseUrl.AbsoluteUri,
            ["NANGO_SECRET_KEY"] = kit.Tenant.ApiKey,
            ["CONNECTION_ID"] = id,
            ["END_USER_ID"] = "node-new-user",
            ["START"] = start.ToString("O"),
        }, TimeSpan.FromSeconds(90), _ct);

        var session = NodeScripts.Ok(results, "createConnectSession").GetProperty("data");
        var token = session.GetProperty("token").GetString()!;
        Assert.StartsWith("nango_connect_session_", token, StringComparison.Ordinal);
        Assert.Equal(new Uri(kit.Host.BaseUrl, $"/connect/ui?session_token={token}").AbsoluteUri, session.GetProperty("connect_link").GetString());
        var expires = DateTimeOffset.Parse(session.GetProperty("expires_at").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(expires - TimeProvider.System.GetUtcNow(), TimeSpan.FromMinutes(25), TimeSpan.FromMinutes(31));
        using (var page = new HttpRequestMessage(HttpMethod.Get, session.GetProperty("connect_link").GetString()))
        {
            page.Headers.Accept.ParseAdd("text/html");
            var link = await fixture.Host.Http.SendAsync(page, _ct);
            Assert.Equal(HttpStatusCode.OK, link.StatusCode);
            Assert.Contains("Continue to Google", await link.Content.ReadAsStringAsync(_ct), StringComparison.Ordinal);
        }

        var refused = NodeScripts.Failed(results, "createConnectSessionForAnotherIntegration", 400, "invalid_body");
        var issue = refused.GetProperty("data").GetProperty("error").GetProperty("errors")[0];
        Assert.Equal("Integration does not exist", issue.GetProperty("message").GetString());
        Assert.StartsWith("nango_connect_session_", NodeScripts.Ok(results, "createReconnectSession").GetProperty("data").GetProperty("token").GetString(), StringComparison.Ordinal);

        var integrations = NodeScripts.Ok(results, "listIntegrations").GetProperty("configs");
        Assert.Equal("google-calendar", Assert.Single(integrations.EnumerateArray()).GetProperty("unique_key").GetString());
        Assert.Equal("google-calendar", NodeScripts.Ok(results, "getIntegration").GetProperty("data").GetProperty("provider").GetString());

        var retried = NodeScripts.Ok(results, "proxyGetRetried");
        Assert.Equal(200, retried.GetProperty("status").GetInt32());
        Assert.Equal("calendar#events", retried.GetProperty("data").GetProperty("kind").GetString());
        var posted = NodeScripts.Ok(results, "proxyPost");
        Assert.Equal(200, posted.GetProperty("status").GetInt32());
        var eventId = posted.GetProperty("data").GetProperty("id").GetString();
        Assert.Equal("Booked through the Nango proxy", posted.GetProperty("data").GetProperty("summary").GetString());
        var listed = NodeScripts.Ok(results, "proxyGet");
        Assert.Contains(listed.GetProperty("data").GetProperty("items").EnumerateArray(), item => item.GetProperty("id").GetString() == eventId);
        Assert.StartsWith("application/json", listed.GetProperty("contentType").GetString(), StringComparison.Ordinal);
        // One 503 and its retry, the insert, the list: the refused and unknown ones never reached Google.
        Assert.Equal(requests + 4, fixture.Calendar.GetStats().Requests);

        NodeScripts.Failed(results, "proxyToAnotherHost", 400, "invalid_proxy_target");
        NodeScripts.Failed(results, "proxyForUnknownConnection", 404, "not_found");
        NodeScripts.Failed(results, "listProvidersNotServed", 404, "not_found");
        Assert.DoesNotContain(kit.Tenant.ApiKey, results.GetRawText(), StringComparison.Ordinal);
    }
}
