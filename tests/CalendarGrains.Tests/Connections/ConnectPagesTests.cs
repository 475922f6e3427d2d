using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CalendarGrains.Testing;
using CalendarGrains.Tests.Infrastructure;

namespace CalendarGrains.Tests.Connections;

/// <summary>
/// What a person's browser (<c>Accept: text/html</c>) sees where the connect flow cannot simply go
/// back to the platform, and that an API client still gets redirects and problem+json.
/// </summary>
public sealed class ConnectPagesTests(FakeClockHostFixture fixture) : IClassFixture<FakeClockHostFixture>
{
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;
    private readonly HttpClient _browser = new(new HttpClientHandler { AllowAutoRedirect = false });

    [Fact]
    public async Task UnknownLink_InABrowser_IsAPageWithAStrictPolicy_AndForAnApiClientAProblem()
    {
        var page = await BrowseAsync("/v1/connect/cs_doesnotexist");
        var api = await fixture.Host.Http.GetAsync("/v1/connect/cs_doesnotexist", _ct);

        var html = await AssertPageAsync(page, HttpStatusCode.NotFound, "This link isn&#x27;t valid");
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        var csp = page.Headers.GetValues("Content-Security-Policy").Single();
        Assert.Contains("default-src 'none'", csp, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", csp, StringComparison.Ordinal);
        Assert.Matches("style-src 'sha256-[A-Za-z0-9+/=]+'", csp);
        Assert.Equal("nosniff", page.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("no-store", page.Headers.CacheControl?.ToString());
        Assert.Equal(HttpStatusCode.NotFound, api.StatusCode);
        Assert.Equal("application/problem+json", api.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task ALinkUsedAfterSuccess_SaysAlreadyConnected_WithAButtonBackToThePlatform()
    {
        using var kit = await ConnectionKit.CreateAsync(fixture.Host);
        var connectUrl = await kit.StartSessionAsync("pages-done");
        var callback = await kit.ApproveAsync(await kit.FollowToGoogleAsync(connectUrl), "done@example.com");
        var connectionId = ConnectionKit.ReturnQuery(await kit.CallbackAsync(callback))["connectionId"];

        var reopened = await BrowseAsync(connectUrl.PathAndQuery);
        var replayed = await BrowseAsync(callback.PathAndQuery);
        var apiReopened = await fixture.Host.Http.GetAsync(connectUrl.PathAndQuery, _ct);
        var apiReplayed = await fixture.Host.Http.GetAsync(callback.PathAndQuery, _ct);

        foreach (var page in new[] { reopened, replayed })
        {
            var html = await AssertPageAsync(page, HttpStatusCode.OK, "Already connected");
            Assert.Contains("Your Google account is already connected to Acme.", html, StringComparison.Ordinal);
            Assert.Contains($"href=\"{ConnectionKit.ReturnUrl}?connectionId={connectionId}&amp;endUserId=pages-done\"", html, StringComparison.Ordinal);
            Assert.Contains(">Back to Acme</a>", html, StringComparison.Ordinal);
        }

        Assert.Equal("already_connected", (await ProblemAsync(apiReopened, HttpStatusCode.Conflict)).GetProperty("code").GetString());
        Assert.Equal("invalid_state", (await ProblemAsync(apiReplayed, HttpStatusCode.BadRequest)).GetProperty("code").GetString());
    }

    [Fact]
    public async Task DenyingConsent_InABrowser_SaysTheUserDeclined_AndTheButtonCarriesTheErrorBack()
    {
        using var kit = await ConnectionKit.CreateAsync(fixture.Host);
        var consent = await kit.FollowToGoogleAsync(await kit.StartSessionAsync("pages-denied"));
        var callback = await GoogleConsent.DenyAsync(_browser, consent, _ct);

        var page = await BrowseAsync(callback.PathAndQuery);
        var again = await BrowseAsync(callback.PathAndQuery);

        var html = await AssertPageAsync(page, HttpStatusCode.OK, "You declined access");
        Assert.Contains("You chose not to give Acme access to your Google Calendar", html, StringComparison.Ordinal);
        Assert.Contains($"href=\"{ConnectionKit.ReturnUrl}?error=access_denied&amp;error_description=", html, StringComparison.Ordinal);
        Assert.Contains("id=\"retry\"", html, StringComparison.Ordinal);
        var used = await AssertPageAsync(again, HttpStatusCode.BadRequest, "This sign-in link was already used");
        Assert.Contains("Nothing was changed", used, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DenyingConsent_ForAnApiClient_RedirectsBackSayingTheUserDeclined()
    {
        using var kit = await ConnectionKit.CreateAsync(fixture.Host);
        var consent = await kit.FollowToGoogleAsync(await kit.StartSessionAsync("api-denied"));

        var back = await kit.CallbackAsync(await GoogleConsent.DenyAsync(_browser, consent, _ct));

        var query = ConnectionKit.ReturnQuery(back);
        Assert.Equal("access_denied", query["error"]);
        Assert.Equal("The user declined to give access to their Google Calendar.", query["error_description"]);
    }

    [Fact]
    public async Task ACallbackWithoutState_InABrowser_IsAPage()
    {
        var page = await BrowseAsync("/v1/oauth/callback?code=x");

        await AssertPageAsync(page, HttpStatusCode.BadRequest, "This sign-in link isn&#x27;t valid");
    }

    [Fact]
    public async Task ThePlatformsName_IsEncoded_NeverMarkup()
    {
        using var kit = await ConnectionKit.CreateAsync(fixture.Host);
        var rename = await fixture.Host.Admin.PatchAsJsonAsync($"/v1/tenants/{kit.Tenant.Id}", new { name = "Acme <script>alert(1)</script> & \"Co\"" }, _ct);
        Assert.Equal(HttpStatusCode.OK, rename.StatusCode);
        var consent = await kit.FollowToGoogleAsync(await kit.StartSessionAsync("pages-encoded"));

        var html = await (await BrowseAsync((await GoogleConsent.DenyAsync(_browser, consent, _ct)).PathAndQuery)).Content.ReadAsStringAsync(_ct);

        Assert.DoesNotContain("<script>", html, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("Acme &lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;Co&quot;", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheSessionBehindTheLocationHeader_CanBeRead_PendingThenConnected_AndOnlyByItsTenant()
    {
        using var kit = await ConnectionKit.CreateAsync(fixture.Host);
        using var other = await ConnectionKit.CreateAsync(fixture.Host);
        var created = await kit.Api.PostAsJsonAsync("/v1/connect-sessions", new { endUserId = "pages-location", returnUrl = ConnectionKit.ReturnUrl }, _ct);
        var location = created.Headers.Location!;
        var connectUrl = new Uri((await created.Content.ReadFromJsonAsync<JsonElement>(_ct)).GetProperty("connectUrl").GetString()!);

        var pending = await kit.Api.GetFromJsonAsync<JsonElement>(location, _ct);
        var connectionId = ConnectionKit.ReturnQuery(await kit.CallbackAsync(await kit.ApproveAsync(await kit.FollowToGoogleAsync(connectUrl), "loc@example.com")))["connectionId"];
        var connected = await kit.Api.GetFromJsonAsync<JsonElement>(location, _ct);
        var foreign = await other.Api.GetAsync(location, _ct);

        Assert.Equal("pending", pending.GetProperty("status").GetString());
        Assert.Equal(connectUrl.AbsoluteUri, pending.GetProperty("connectUrl").GetString());
        Assert.Equal("connected", connected.GetProperty("status").GetString());
        Assert.Equal(connectionId, connected.GetProperty("connectionId").GetString());
        Assert.Equal(HttpStatusCode.NotFound, foreign.StatusCode);
    }

    /// <summary>Moves the product clock past the link's life; the other tests here work in product time too, so order does not matter.</summary>
    [Fact]
    public async Task AnExpiredLink_InABrowser_SaysSoWithAWayBack_AndAnApiClientIsSentBackWithTheError()
    {
        using var kit = await ConnectionKit.CreateAsync(fixture.Host);
        var connectUrl = await kit.StartSessionAsync("pages-expired");
        fixture.Clock.Advance(TimeSpan.FromHours(2));

        var page = await BrowseAsync(connectUrl.PathAndQuery);
        var api = await fixture.Host.Http.GetAsync(connectUrl.PathAndQuery, _ct);

        var html = await AssertPageAsync(page, HttpStatusCode.Gone, "This link has expired");
        Assert.Contains("Go back to Acme to get a new link.", html, StringComparison.Ordinal);
        Assert.Contains("error=session_expired", html, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, api.StatusCode);
        Assert.Equal("session_expired", ConnectionKit.ReturnQuery(api)["error"]);
    }

    private async Task<HttpResponseMessage> BrowseAsync(string pathAndQuery)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(fixture.Host.BaseUrl, pathAndQuery));
        // What Chromium sends for a navigation.
        request.Headers.TryAddWithoutValidation("Accept", "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8");
        return await _browser.SendAsync(request, _ct);
    }

    internal static async Task<string> AssertPageAsync(HttpResponseMessage response, HttpStatusCode status, string heading)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        var html = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.Contains("<html lang=\"en\">", html, StringComparison.Ordinal);
        Assert.Contains($"<h1 id=\"heading\">{heading}</h1>", html, StringComparison.Ordinal);
        return html;
    }

    private async Task<JsonElement> ProblemAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return await response.Content.ReadFromJsonAsync<JsonElement>(_ct);
    }
}
