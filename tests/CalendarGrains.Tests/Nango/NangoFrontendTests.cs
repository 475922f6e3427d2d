using System.Net.Http.Json;
using System.Text.Json;
using CalendarGrains.Testing;
using CalendarGrains.Tests.Connections;
using CalendarGrains.Tests.Infrastructure;

namespace CalendarGrains.Tests.Nango;

/// <summary>
/// Nango's own front-end SDK, <c>@nangohq/frontend</c> 0.71.10, in a real headless Chromium (Debian's
/// <c>/usr/bin/chromium</c> through <c>puppeteer-core</c>; <c>tests/nango-frontend</c>): <c>nango.auth()</c>
/// opens its popup against this service, the person consents (or declines) at the Google emulator, and
/// the SDK hears the outcome on its websocket; <c>nango.openConnectUI()</c> frames our Connect UI
/// (<c>/connect/ui</c>), which completes the same sign-in and tells the SDK <c>connect</c> or <c>error</c>,
/// then <c>close</c>. Every page an end user can reach is photographed into
/// <c>screenshots/</c> beside the test binaries. <c>.ci/run</c> sets <c>CG_REQUIRE_NANGO_BROWSER</c>, so
/// there a missing browser or package fails instead of skipping.
/// </summary>
public sealed class NangoFrontendTests(FakeClockHostFixture fixture) : IClassFixture<FakeClockHostFixture>
{
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;
    private readonly HttpClient _browser = new(new HttpClientHandler { AllowAutoRedirect = false });

    [Fact]
    public async Task NangosFrontendSdk_ConnectsGoogleCalendar_InChromium_AndEveryEndUserPageIsAPage()
    {
        var chromium = Environment.GetEnvironmentVariable("CHROMIUM") ?? "/usr/bin/chromium";
        var (node, project) = NodeScripts.Require("nango-frontend", ["@nangohq/frontend", "puppeteer-core"], [chromium], "CG_REQUIRE_NANGO_BROWSER");
        using var kit = await ConnectionKit.CreateAsync(fixture.Host);
        var host = fixture.Host.BaseUrl.AbsoluteUri.TrimEnd('/');
        var allowed = await NangoConnectTests.CreateSessionAsync(kit, "browser-user");
        var declined = await NangoConnectTests.CreateSessionAsync(kit, "browser-declines");
        var fresh = await NangoConnectTests.CreateSessionAsync(kit, "browser-later");
        var framed = await NangoConnectTests.CreateSessionAsync(kit, "connect-ui-user");
        var framedDeclined = await NangoConnectTests.CreateSessionAsync(kit, "connect-ui-declines");

        // Pages reached through the /v1 flow: walked with HTTP up to the URL the person's browser would open.
        var doneLink = await kit.StartSessionAsync("browser-v1-done");
        var doneCallback = await kit.ApproveAsync(await kit.FollowToGoogleAsync(doneLink), "v1@example.com");
        ConnectionKit.ReturnQuery(await kit.CallbackAsync(doneCallback));
        var deniedCallback = await GoogleConsent.DenyAsync(_browser, await kit.FollowToGoogleAsync(await kit.StartSessionAsync("browser-v1-denied")), _ct);
        var expiringLink = await kit.StartSessionAsync("browser-v1-expired");
        var screenshots = Path.Combine(AppContext.BaseDirectory, "screenshots");

        var first = await RunAsync(node, project, chromium, new
        {
            host,
            screenshots,
            auth = new[]
            {
                new { name = "nango-auth-allow", token = allowed, email = "browser@example.com", decision = "allow" },
                new { name = "nango-auth-deny", token = declined, email = "", decision = "deny" },
            },
            connectUI = new[]
            {
                new { name = "connect-ui-allow", token = framed, email = "framed@example.com", decision = "allow", lateToken = false },
                new { name = "connect-ui-deny", token = framedDeclined, email = "", decision = "deny", lateToken = true },
            },
            pages = new[]
            {
                new { name = "connect-ui-outside-a-frame", url = $"{host}/connect/ui/" },
                new { name = "connect-link", url = $"{host}/connect/ui?session_token={fresh}" },
                new { name = "connect-link-already-connected", url = $"{host}/connect/ui?session_token={allowed}" },
                new { name = "v1-link-already-connected", url = doneLink.AbsoluteUri },
                new { name = "v1-callback-replayed-after-success", url = doneCallback.AbsoluteUri },
                new { name = "v1-declined", url = deniedCallback.AbsoluteUri },
                new { name = "v1-callback-replayed-after-decline", url = deniedCallback.AbsoluteUri },
                new { name = "v1-unknown-link", url = $"{host}/v1/connect/cs_doesnotexist" },
                new { name = "v1-callback-without-state", url = $"{host}/v1/oauth/callback?code=x" },
                new { name = "nango-unknown-integration", url = $"{host}/oauth/connect/github?connect_session_token={fresh}" },
                new { name = "nango-unknown-token", url = $"{host}/oauth/connect/google-calendar?connect_session_token=nango_connect_session_cs_nope" },
            },
        });
        fixture.Clock.Advance(TimeSpan.FromHours(2));
        var later = await RunAsync(node, project, chromium, new
        {
            host,
            screenshots,
            auth = Array.Empty<object>(),
            pages = new[]
            {
                new { name = "v1-expired-link", url = expiringLink.AbsoluteUri },
                new { name = "connect-link-expired", url = $"{host}/connect/ui?session_token={fresh}" },
            },
        });

        var success = first.GetProperty("auth").GetProperty("nango-auth-allow");
        Assert.True(success.GetProperty("ok").GetBoolean(), success.ToString());
        Assert.Equal("google-calendar", success.GetProperty("value").GetProperty("providerConfigKey").GetString());
        var connectionId = success.GetProperty("value").GetProperty("connectionId").GetString();
        Assert.True(success.GetProperty("popupClosed").GetBoolean(), "the SDK closes its popup");
        var connection = await kit.Api.GetFromJsonAsync<JsonElement>($"/v1/connections/{connectionId}", _ct);
        Assert.Equal("browser-user", connection.GetProperty("endUserId").GetString());
        Assert.Equal("browser@example.com", connection.GetProperty("accountEmail").GetString());

        var refusal = first.GetProperty("auth").GetProperty("nango-auth-deny");
        Assert.False(refusal.GetProperty("ok").GetBoolean(), refusal.ToString());
        Assert.Equal("callback_err", refusal.GetProperty("type").GetString());
        Assert.Contains("declined", refusal.GetProperty("message").GetString(), StringComparison.Ordinal);

        AssertConnectUi(first.GetProperty("connectUI"), host);
        var framedConnection = first.GetProperty("connectUI").GetProperty("connect-ui-allow").GetProperty("events").EnumerateArray()
            .Single(e => e.GetProperty("type").GetString() == "connect").GetProperty("payload").GetProperty("connectionId").GetString();
        var framedView = await kit.Api.GetFromJsonAsync<JsonElement>($"/v1/connections/{framedConnection}", _ct);
        Assert.Equal(("connect-ui-user", "framed@example.com"), (framedView.GetProperty("endUserId").GetString(), framedView.GetProperty("accountEmail").GetString()));

        var pages = first.GetProperty("pages").EnumerateObject().Concat(later.GetProperty("pages").EnumerateObject()).ToDictionary(p => p.Name, p => p.Value);
        AssertPage(pages, "connect-ui-outside-a-frame", 200, "Open this from your app", back: null);
        AssertPage(pages, "connect-link", 200, "Connect your Google Calendar", back: null);
        Assert.StartsWith($"{host}/oauth/connect/google-calendar?connect_session_token=", pages["connect-link"].GetProperty("continueTo").GetString(), StringComparison.Ordinal);
        AssertPage(pages, "connect-link-already-connected", 200, "Already connected", back: null);
        AssertPage(pages, "v1-link-already-connected", 200, "Already connected", back: ConnectionKit.ReturnUrl + "?connectionId=");
        AssertPage(pages, "v1-callback-replayed-after-success", 200, "Already connected", back: ConnectionKit.ReturnUrl + "?connectionId=");
        AssertPage(pages, "v1-declined", 200, "You declined access", back: ConnectionKit.ReturnUrl + "?error=access_denied");
        AssertPage(pages, "v1-callback-replayed-after-decline", 400, "This sign-in link was already used", back: ConnectionKit.ReturnUrl);
        AssertPage(pages, "v1-unknown-link", 404, "This link isn't valid", back: null);
        AssertPage(pages, "v1-callback-without-state", 400, "This sign-in link isn't valid", back: null);
        AssertPage(pages, "nango-unknown-integration", 404, "This integration isn't available", back: null);
        AssertPage(pages, "nango-unknown-token", 404, "This link isn't valid", back: null);
        AssertPage(pages, "v1-expired-link", 410, "This link has expired", back: ConnectionKit.ReturnUrl + "?error=session_expired");
        AssertPage(pages, "connect-link-expired", 410, "This link has expired", back: null);
        foreach (var name in pages.Keys)
        {
            Assert.True(File.Exists(Path.Combine(screenshots, name + ".png")), $"no screenshot of {name}");
        }

        Assert.True(File.Exists(Path.Combine(screenshots, "nango-auth-allow-1-google-consent.png")));
        foreach (var flow in (string[])["connect-ui-allow", "connect-ui-deny"])
        {
            foreach (var step in (string[])["1-connect-ui", "2-google-consent", "3-outcome", "4-closed"])
            {
                Assert.True(File.Exists(Path.Combine(screenshots, $"{flow}-{step}.png")), $"no screenshot of {flow}-{step}");
            }
        }
    }

    /// <summary>
    /// openConnectUI() framed our Connect UI, which sent <c>ready</c>, got the session token, ran the
    /// Google sign-in in its popup, and told the SDK <c>connect</c> (or <c>error</c>); the person's
    /// "Done" or close button sent <c>close</c> and the SDK removed the frame.
    /// </summary>
    private static void AssertConnectUi(JsonElement flows, string host)
    {
        var allowed = flows.GetProperty("connect-ui-allow");
        Assert.StartsWith($"{host}/connect/ui/?apiURL=", allowed.GetProperty("frameSrc").GetString(), StringComparison.Ordinal);
        var ready = allowed.GetProperty("steps")[0].GetProperty("frame");
        Assert.Equal(("Acme", "Connect your Google Calendar"), (ready.GetProperty("platform").GetString(), ready.GetProperty("heading").GetString()));
        Assert.Equal(["ready", "connect", "close"], Types(allowed));
        var connect = allowed.GetProperty("events")[1].GetProperty("payload");
        Assert.Equal("google-calendar", connect.GetProperty("providerConfigKey").GetString());
        Assert.StartsWith("conn_", connect.GetProperty("connectionId").GetString(), StringComparison.Ordinal);
        Assert.Equal("Google Calendar connected", allowed.GetProperty("steps")[2].GetProperty("frame").GetProperty("heading").GetString());

        var declined = flows.GetProperty("connect-ui-deny");
        Assert.Equal(["ready", "error", "close"], Types(declined));
        var error = declined.GetProperty("events")[1].GetProperty("payload");
        Assert.Equal("callback_err", error.GetProperty("errorType").GetString());
        Assert.Contains("declined", error.GetProperty("errorMessage").GetString(), StringComparison.Ordinal);
        Assert.Equal("You declined access", declined.GetProperty("steps")[2].GetProperty("frame").GetProperty("heading").GetString());

        foreach (var flow in (JsonElement[])[allowed, declined])
        {
            Assert.True(flow.GetProperty("popupClosed").GetBoolean(), "the Connect UI closes its popup");
            Assert.True(flow.GetProperty("frameRemoved").GetBoolean(), "the SDK removes its frame on close");
            // A blocked script, style or connection (the page's policy) shows up as a console error.
            Assert.True(flow.GetProperty("consoleErrors").GetArrayLength() == 0, flow.GetProperty("consoleErrors").ToString());
        }
    }

    private static List<string?> Types(JsonElement flow) => [.. flow.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("type").GetString())];

    private static void AssertPage(Dictionary<string, JsonElement> pages, string name, int status, string heading, string? back)
    {
        var page = pages[name];
        Assert.True(page.GetProperty("status").GetInt32() == status, $"{name}: {page}");
        Assert.Equal(heading, page.GetProperty("heading").GetString());
        Assert.Equal("en", page.GetProperty("lang").GetString());
        Assert.StartsWith("text/html", page.GetProperty("contentType").GetString(), StringComparison.Ordinal);
        Assert.Contains("default-src 'none'", page.GetProperty("csp").GetString(), StringComparison.Ordinal);
        // A policy violation (a blocked style or script) shows up as a console error.
        Assert.True(page.GetProperty("consoleErrors").GetArrayLength() == 0 || status >= 400 && OnlyStatusErrors(page), $"{name}: {page.GetProperty("consoleErrors")}");
        if (back is null)
        {
            Assert.Equal(JsonValueKind.Null, page.GetProperty("back").ValueKind);
        }
        else
        {
            Assert.StartsWith(back, page.GetProperty("back").GetString(), StringComparison.Ordinal);
        }
    }

    /// <summary>Chromium logs "Failed to load resource: … 4xx" for a page answered with an error status; nothing else is allowed.</summary>
    private static bool OnlyStatusErrors(JsonElement page) =>
        page.GetProperty("consoleErrors").EnumerateArray().All(e => e.GetString()!.StartsWith("Failed to load resource", StringComparison.Ordinal));

    private async Task<JsonElement> RunAsync(string node, string project, string chromium, object job)
    {
        var file = Path.Combine(Path.GetTempPath(), $"cg-browse-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(file, JsonSerializer.Serialize(job), _ct);
        try
        {
            return await NodeScripts.RunAsync(node, Path.Combine(project, "browse.mjs"),
                new Dictionary<string, string> { ["JOB_FILE"] = file, ["CHROMIUM"] = chromium }, TimeSpan.FromMinutes(3), _ct);
        }
        finally
        {
            File.Delete(file);
        }
    }
}
