using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using CalendarGrains.Silo.Tenants;
using CalendarGrains.Silo.WebConsole.Security;
using CalendarGrains.Tests.Infrastructure;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace CalendarGrains.Tests.WebConsole;

/// <summary>The console's security properties, over real HTTP: cookies, headers, anti-forgery, keys, tenants.</summary>
public sealed partial class ConsoleSecurityTests(SandboxHostFixture fixture) : IClassFixture<SandboxHostFixture>
{
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;

    private ServiceHost Host => fixture.Host;

    [Fact]
    public async Task SignIn_WithATenantKey_SetsAnHttpOnlyStrictSessionCookieHoldingNoKey()
    {
        var tenant = await TestTenants.CreateAsync(Host);
        using var console = new ConsoleClient(Host);

        var response = await console.SignInAsync(tenant.ApiKey);

        Assert.Equal(HttpStatusCode.Found, response.StatusCode);
        Assert.Equal("/console", response.Headers.Location!.AbsolutePath);
        var session = SetCookie(response, ConsoleAuth.CookieName);
        Assert.Contains("httponly", session, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", session, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("path=/console", session, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("secure", session, StringComparison.OrdinalIgnoreCase); // loopback: plain http works
        Assert.DoesNotContain(tenant.ApiKey, session, StringComparison.Ordinal);

        // The ticket inside says who signed in (tenant and key id), and nothing of the key itself.
        var ticket = CookieOptions().TicketDataFormat.Unprotect(console.SessionCookie)!;
        Assert.Equal(tenant.Id, ticket.Principal.FindFirst("cg_tenant")!.Value);
        Assert.Equal(tenant.ApiKeyId, ticket.Principal.FindFirst("cg_key")!.Value);
        Assert.DoesNotContain(ticket.Principal.Claims, claim => claim.Value.Contains(tenant.ApiKey[..12], StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.OK, (await console.GetAsync($"/console/t/{tenant.Id}")).StatusCode);
    }

    [Fact]
    public async Task SignIn_ThroughAHostThatIsNotLoopback_MarksEveryCookieSecure()
    {
        var tenant = await TestTenants.CreateAsync(Host);
        using var http = Host.Client(null);

        // A proxy in front (TLS ends there) forwards console.example.com: the browser is on HTTPS, so are the cookies.
        using var page = new HttpRequestMessage(HttpMethod.Get, "/console/sign-in") { Headers = { Host = "console.example.com" } };
        var form = await http.SendAsync(page, _ct);
        var antiforgery = SetCookie(form, "cg_console_af");
        Assert.Contains("secure", antiforgery, StringComparison.OrdinalIgnoreCase);
        using var post = new HttpRequestMessage(HttpMethod.Post, "/console/sign-in")
        {
            Headers = { Host = "console.example.com" },
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["_handler"] = "sign-in",
                ["__RequestVerificationToken"] = ConsoleClient.TokenOf(await form.Content.ReadAsStringAsync(_ct)),
                ["Key"] = tenant.ApiKey,
            }),
        };
        post.Headers.Add("Cookie", antiforgery.Split(';')[0]);

        var response = await http.SendAsync(post, _ct);

        Assert.Equal(HttpStatusCode.Found, response.StatusCode);
        Assert.Contains("secure", SetCookie(response, ConsoleAuth.CookieName), StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("/console/sign-in")]
    [InlineData("/console/t/{tenant}")]
    [InlineData("/console/t/{tenant}/connections/{connection}")]
    [InlineData("/console/t/{tenant}/calls")]
    public async Task Pages_SendAStrictContentSecurityPolicy_AndHoldNoInlineScriptOrStyle(string pathTemplate)
    {
        var tenant = await TestTenants.CreateAsync(Host);
        var connection = await ImportAsync(tenant.ApiKey, "csp-user");
        using var console = new ConsoleClient(Host);
        await console.SignInAsync(tenant.ApiKey);

        var response = await console.GetAsync(pathTemplate.Replace("{tenant}", tenant.Id, StringComparison.Ordinal).Replace("{connection}", connection, StringComparison.Ordinal));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var csp = response.Headers.GetValues("Content-Security-Policy").Single();
        Assert.Contains("default-src 'self'", csp, StringComparison.Ordinal);
        Assert.Contains("script-src 'self'", csp, StringComparison.Ordinal);
        Assert.Contains("style-src 'self'", csp, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", csp, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe", csp, StringComparison.Ordinal);
        Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
        Assert.Equal("no-referrer", response.Headers.GetValues("Referrer-Policy").Single());
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Contains("no-store", response.Headers.CacheControl!.ToString(), StringComparison.Ordinal);
        var html = await response.Content.ReadAsStringAsync(_ct);
        Assert.DoesNotMatch(InlineScript(), html);
        Assert.DoesNotMatch(InlineStyle(), html);
        Assert.DoesNotMatch(InlineHandler(), html);
    }

    [Fact]
    public async Task Assets_AreServedByUs_WithTheirContentType()
    {
        using var console = new ConsoleClient(Host);
        var html = await console.GetPageAsync("/console/sign-in");
        foreach (Match asset in AssetUrl().Matches(html))
        {
            var response = await Host.Http.GetAsync(WebUtility.HtmlDecode(asset.Groups[1].Value), _ct);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Contains("immutable", response.Headers.CacheControl!.ToString(), StringComparison.Ordinal);
            Assert.True(response.Content.Headers.ContentType!.MediaType is "text/css" or "text/javascript" or "application/javascript", response.Content.Headers.ContentType.MediaType);
        }

        Assert.Equal(2, AssetUrl().Count(html));
        Assert.DoesNotContain("http://", html.Replace(Host.BaseUrl.AbsoluteUri, "", StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SignIn_WithoutTheAntiforgeryToken_IsRejectedAndOpensNoSession()
    {
        var tenant = await TestTenants.CreateAsync(Host);
        using var console = new ConsoleClient(Host);
        await console.GetPageAsync("/console/sign-in"); // the anti-forgery cookie, but no token in the form

        var response = await console.PostAsync("/console/sign-in", [("_handler", "sign-in"), ("Key", tenant.ApiKey)]);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Null(console.SessionCookie);
        Assert.Equal(HttpStatusCode.Found, (await console.GetAsync($"/console/t/{tenant.Id}")).StatusCode);
    }

    [Fact]
    public async Task ActionForm_WithAnotherSessionsToken_IsRejectedAndChangesNothing()
    {
        var tenant = await TestTenants.CreateAsync(Host);
        var connection = await ImportAsync(tenant.ApiKey, "csrf-user");
        using var victim = new ConsoleClient(Host);
        using var attacker = new ConsoleClient(Host);
        await victim.SignInAsync(tenant.ApiKey);
        var attackersToken = ConsoleClient.TokenOf(await attacker.GetPageAsync("/console/sign-in"));
        var page = $"/console/t/{tenant.Id}/connections/{connection}";

        // What a forged cross-site form would send with the victim's cookie: a token that is not the victim's.
        var response = await victim.PostAsync(page, [("_handler", "delete-connection"), ("__RequestVerificationToken", attackersToken)]);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var api = Host.Client(tenant.ApiKey);
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync($"/v1/connections/{connection}", _ct)).StatusCode);

        // The same form with the victim's own token deletes (revoke=true; the emulated Google knows no such token, which still revokes).
        var deleted = await victim.PostFormAsync(page, "delete-connection");
        Assert.Equal(HttpStatusCode.Found, deleted.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await api.GetAsync($"/v1/connections/{connection}", _ct)).StatusCode);
    }

    [Fact]
    public async Task TheKey_NeverTravelsInAUrl_AndAQueryStringKeySignsNobodyIn()
    {
        var tenant = await TestTenants.CreateAsync(Host);
        using var console = new ConsoleClient(Host);

        var html = await console.GetPageAsync("/console/sign-in");
        Assert.Matches(PostedSignInForm(), html);
        var asQuery = await console.GetAsync($"/console/sign-in?Key={Uri.EscapeDataString(tenant.ApiKey)}&_handler=sign-in");
        Assert.Equal(HttpStatusCode.OK, asQuery.StatusCode);
        Assert.Null(console.SessionCookie);

        // A form posted with the key in the query string instead of the body is not a sign-in either.
        var token = ConsoleClient.TokenOf(html);
        var posted = await console.PostAsync($"/console/sign-in?Key={Uri.EscapeDataString(tenant.ApiKey)}", [("_handler", "sign-in"), ("__RequestVerificationToken", token)]);
        Assert.Null(console.SessionCookie);
        Assert.NotEqual(HttpStatusCode.Found, posted.StatusCode);

        var signedIn = await console.SignInAsync(tenant.ApiKey);
        Assert.DoesNotContain(tenant.ApiKey, signedIn.Headers.Location!.OriginalString, StringComparison.Ordinal);
        Assert.DoesNotContain(tenant.ApiKey, await console.GetPageAsync($"/console/t/{tenant.Id}"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SignIn_WithAWrongKey_IsRefused()
    {
        using var console = new ConsoleClient(Host);

        var response = await console.SignInAsync("cgk_" + new string('x', 40));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Null(console.SessionCookie);
        Assert.Contains("not valid", await response.Content.ReadAsStringAsync(_ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TenantSession_AnotherTenantsObjects_AreNotFound_AsInTheApi()
    {
        var mine = await TestTenants.CreateAsync(Host);
        var theirs = await TestTenants.CreateAsync(Host);
        var theirConnection = await ImportAsync(theirs.ApiKey, "their-user");
        var myConnection = await ImportAsync(mine.ApiKey, "my-user");
        using var console = new ConsoleClient(Host);
        await console.SignInAsync(mine.ApiKey);

        Assert.Equal(HttpStatusCode.NotFound, (await console.GetAsync($"/console/t/{theirs.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await console.GetAsync($"/console/t/{theirs.Id}/connections")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await console.GetAsync($"/console/t/{theirs.Id}/connections/{theirConnection}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await console.GetAsync($"/console/t/{mine.Id}/connections/{theirConnection}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await console.GetAsync("/console/tenants")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await console.GetAsync($"/console/tenants/{mine.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await console.GetAsync("/console/live")).StatusCode);
        var own = await console.GetPageAsync($"/console/t/{mine.Id}/connections");
        Assert.Contains(myConnection, own, StringComparison.Ordinal);
        Assert.DoesNotContain(theirConnection, own, StringComparison.Ordinal);

        // A forced refresh posted at another tenant's connection finds nothing to act on: the page does not
        // exist, so neither does its form. (Had it run, the made-up refresh token would be needs_reauth now.)
        var token = ConsoleClient.TokenOf(own);
        var forced = await console.PostAsync($"/console/t/{mine.Id}/connections/{theirConnection}", [("_handler", "force-refresh"), ("__RequestVerificationToken", token)]);
        Assert.False(forced.IsSuccessStatusCode);
        using var theirApi = Host.Client(theirs.ApiKey);
        Assert.Contains("\"status\":\"active\"", await theirApi.GetStringAsync($"/v1/connections/{theirConnection}", _ct), StringComparison.Ordinal);

        using var admin = new ConsoleClient(Host);
        await admin.SignInAsync(ServiceHost.AdminKey);
        Assert.Contains(theirConnection, await admin.GetPageAsync($"/console/t/{theirs.Id}/connections"), StringComparison.Ordinal);
        Assert.Contains(theirs.Id, await admin.GetPageAsync("/console/tenants"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RevokingTheKey_EndsItsConsoleSession()
    {
        var tenant = await TestTenants.CreateAsync(Host);
        using var console = new ConsoleClient(Host);
        await console.SignInAsync(tenant.ApiKey);
        Assert.Equal(HttpStatusCode.OK, (await console.GetAsync($"/console/t/{tenant.Id}")).StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await Host.Admin.DeleteAsync($"/v1/tenants/{tenant.Id}/api-keys/{tenant.ApiKeyId}", _ct)).StatusCode);

        var after = await console.GetAsync($"/console/t/{tenant.Id}");
        Assert.Equal(HttpStatusCode.Found, after.StatusCode);
        Assert.Equal("/console/sign-in", after.Headers.Location!.AbsolutePath);
        Assert.Null(console.SessionCookie); // deleted by the answer
    }

    [Fact]
    public async Task SignOut_EndsTheSession_AndNeedsTheAntiforgeryToken()
    {
        var tenant = await TestTenants.CreateAsync(Host);
        using var console = new ConsoleClient(Host);
        await console.SignInAsync(tenant.ApiKey);

        Assert.Equal(HttpStatusCode.BadRequest, (await console.PostAsync("/console/sign-out", [])).StatusCode);
        Assert.NotNull(console.SessionCookie);

        var token = ConsoleClient.TokenOf(await console.GetPageAsync($"/console/t/{tenant.Id}"));
        var response = await console.PostAsync("/console/sign-out", [("__RequestVerificationToken", token)]);
        Assert.Equal(HttpStatusCode.Found, response.StatusCode);
        Assert.Null(console.SessionCookie);
        Assert.Equal(HttpStatusCode.Found, (await console.GetAsync($"/console/t/{tenant.Id}")).StatusCode);
    }

    [Fact]
    public async Task AfterSignIn_TheReturnUrlIsFollowed_OnlyWithinTheConsole()
    {
        var tenant = await TestTenants.CreateAsync(Host);
        using var console = new ConsoleClient(Host);
        var target = $"/console/t/{tenant.Id}/calls";

        var challenge = await console.GetAsync(target);
        Assert.Equal(HttpStatusCode.Found, challenge.StatusCode);
        var signIn = challenge.Headers.Location!.PathAndQuery;
        Assert.Equal(target, (await console.SignInAsync(tenant.ApiKey, signIn)).Headers.Location!.OriginalString.Replace(Host.BaseUrl.AbsoluteUri.TrimEnd('/'), "", StringComparison.Ordinal));

        using var other = new ConsoleClient(Host);
        var offsite = await other.SignInAsync(tenant.ApiKey, "/console/sign-in?returnUrl=" + Uri.EscapeDataString("//evil.example/console"));
        Assert.Equal("/console", offsite.Headers.Location!.AbsolutePath);
        Assert.Equal(Host.BaseUrl.Host, offsite.Headers.Location.Host);
    }

    private async Task<string> ImportAsync(string apiKey, string endUserId)
    {
        using var api = Host.Client(apiKey);
        var response = await api.PostAsJsonAsync("/v1/connections?validate=false", new { endUserId, refreshToken = "1//" + Guid.NewGuid().ToString("N") }, _ct);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>(_ct)).GetProperty("id").GetString()!;
    }

    private CookieAuthenticationOptions CookieOptions() =>
        Host.Services.GetRequiredService<IOptionsMonitor<CookieAuthenticationOptions>>().Get(ConsoleAuth.Scheme);

    private static string SetCookie(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues("Set-Cookie", out var cookies) && cookies.FirstOrDefault(c => c.StartsWith(name + "=", StringComparison.Ordinal)) is { } cookie
            ? cookie
            : throw new Xunit.Sdk.XunitException($"No {name} cookie was set.");

    [GeneratedRegex("<script(?![^>]*\\bsrc=)[^>]*>", RegexOptions.IgnoreCase)]
    private static partial Regex InlineScript();

    [GeneratedRegex("<style|\\sstyle=", RegexOptions.IgnoreCase)]
    private static partial Regex InlineStyle();

    [GeneratedRegex("\\son[a-z]+=", RegexOptions.IgnoreCase)]
    private static partial Regex InlineHandler();

    [GeneratedRegex("(/console/assets/[a-z.]+\\?v=[0-9a-f]+)")]
    private static partial Regex AssetUrl();

    [GeneratedRegex("<form method=\"post\"[^>]*action=\"/console/sign-in\"[\\s\\S]*?name=\"Key\" type=\"password\"")]
    private static partial Regex PostedSignInForm();
}
