using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CalendarGrains.Tests.Connections;
using CalendarGrains.Tests.Infrastructure;

namespace CalendarGrains.Tests.Nango;

/// <summary>
/// The Connect UI that <c>openConnectUI()</c> frames, over HTTP: the page, its script and its session
/// read (the browser drives it in <see cref="NangoFrontendTests"/>).
/// </summary>
public sealed class NangoConnectUiTests(SandboxHostFixture fixture) : IClassFixture<SandboxHostFixture>
{
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;

    [Fact]
    public async Task ThePageTheSdkFrames_MayBeFramed_AndRunsOnlyItsOwnScript_TalkingOnlyToThisService()
    {
        var host = fixture.Host.BaseUrl.AbsoluteUri.TrimEnd('/');

        // What the SDK loads: baseURL with a '/' appended, then its parameters.
        var response = await fixture.Host.Http.GetAsync($"/connect/ui/?apiURL={Uri.EscapeDataString("https://evil.example")}&theme=dark&detectClosedAuthWindow=true", _ct);
        var html = await response.Content.ReadAsStringAsync(_ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html; charset=utf-8", response.Content.Headers.ContentType!.ToString());
        var csp = Assert.Single(response.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("default-src 'none'", csp, StringComparison.Ordinal);
        Assert.Contains($"script-src {host}/connect/ui/connect-ui.js;", csp, StringComparison.Ordinal);
        Assert.Contains($"connect-src {host} {host.Replace("http://", "ws://", StringComparison.Ordinal)};", csp, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors http: https:", csp, StringComparison.Ordinal);
        Assert.False(response.Headers.Contains("X-Frame-Options"));
        Assert.Contains($"<script src=\"{host}/connect/ui/connect-ui.js\" defer></script>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("evil.example", html, StringComparison.Ordinal);
        Assert.Contains("data-theme=\"dark\"", html, StringComparison.Ordinal);
        Assert.Contains("data-detect-closed=\"true\"", html, StringComparison.Ordinal);
        Assert.Equal(1, html.Split("<script", StringSplitOptions.None).Length - 1);

        var script = await fixture.Host.Http.GetAsync("/connect/ui/connect-ui.js", _ct);
        Assert.Equal(HttpStatusCode.OK, script.StatusCode);
        Assert.Equal("text/javascript; charset=utf-8", script.Content.Headers.ContentType!.ToString());
        Assert.Contains("session_token", await script.Content.ReadAsStringAsync(_ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheSessionRead_SaysWhosePlatformAndWhereItStands_ForTheTokenInItsHeaderOnly()
    {
        using var kit = await ConnectionKit.CreateAsync(fixture.Host);
        var token = await NangoConnectTests.CreateSessionAsync(kit, "ui-reader");

        var pending = await ReadAsync(token);
        var unknown = await ReadAsync("nango_connect_session_cs_nope");
        var none = await ReadAsync(null);
        var inQuery = await fixture.Host.Http.GetAsync($"/connect/ui/session?session_token={token}", _ct);

        Assert.Equal((HttpStatusCode.OK, "Acme", "pending"), pending);
        Assert.Equal((HttpStatusCode.NotFound, null, "unknown"), unknown);
        Assert.Equal((HttpStatusCode.NotFound, null, "unknown"), none);
        Assert.Equal(HttpStatusCode.NotFound, inQuery.StatusCode);
    }

    private async Task<(HttpStatusCode, string?, string?)> ReadAsync(string? token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/connect/ui/session");
        if (token is not null)
        {
            request.Headers.Add("Connect-Session-Token", token);
        }

        var response = await fixture.Host.Http.SendAsync(request, _ct);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(_ct);
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        return (response.StatusCode, body.GetProperty("platform").GetString(), body.GetProperty("status").GetString());
    }
}
