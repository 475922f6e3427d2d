using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CalendarGrains.Tests.Connections;
using CalendarGrains.Tests.Infrastructure;
using CalendarGrains.Tests.Webhooks;

namespace CalendarGrains.Tests.Nango;

/// <summary><c>/proxy</c> as <c>nango.proxy()</c> calls it, against the Google Calendar emulator over loopback.</summary>
public sealed class NangoProxyTests(NangoProxyHostFixture fixture) : IClassFixture<NangoProxyHostFixture>
{
    private const string Events = "/proxy/calendar/v3/calendars/primary/events";
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;

    [Fact]
    public async Task Proxy_WithoutRetries_PassesGooglesErrorBackAtOnce()
    {
        using var kit = await ConnectionKit.CreateAsync(fixture.Host);
        var id = await ImportAsync(kit, "proxy-no-retry");
        fixture.Calendar.FailNext(1, 503);
        var before = fixture.Calendar.GetStats().Requests;

        var response = await kit.Api.SendAsync(Proxy(HttpMethod.Get, Events, id), _ct);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal(503, (await response.Content.ReadFromJsonAsync<JsonElement>(_ct)).GetProperty("error").GetProperty("code").GetInt32());
        Assert.Equal(before + 1, fixture.Calendar.GetStats().Requests);
    }

    [Theory]
    [InlineData(1, HttpStatusCode.ServiceUnavailable, 2)]
    [InlineData(2, HttpStatusCode.OK, 3)]
    public async Task Proxy_RetriesAsManyTimesAsTheRetriesHeaderSays(int retries, HttpStatusCode expected, int attempts)
    {
        using var kit = await ConnectionKit.CreateAsync(fixture.Host);
        var id = await ImportAsync(kit, $"proxy-retries-{retries}");
        fixture.Calendar.FailNext(2, 503);
        var before = fixture.Calendar.GetStats().Requests;
        var request = Proxy(HttpMethod.Get, Events, id);
        request.Headers.Add("Retries", retries.ToString(System.Globalization.CultureInfo.InvariantCulture));

        var response = await kit.Api.SendAsync(request, _ct);

        Assert.Equal(expected, response.StatusCode);
        Assert.Equal(before + attempts, fixture.Calendar.GetStats().Requests);
        fixture.Calendar.FailNext(0, 503);
    }

    [Fact]
    public async Task Proxy_RetriesAStatusNamedInRetryOn_AndNotOtherwise()
    {
        using var kit = await ConnectionKit.CreateAsync(fixture.Host);
        var id = await ImportAsync(kit, "proxy-retry-on");
        fixture.Calendar.FailNext(1, 409);
        var plain = Proxy(HttpMethod.Get, Events, id);
        plain.Headers.Add("Retries", "3");
        Assert.Equal(HttpStatusCode.Conflict, (await kit.Api.SendAsync(plain, _ct)).StatusCode);

        fixture.Calendar.FailNext(1, 409);
        var named = Proxy(HttpMethod.Get, Events, id);
        named.Headers.Add("Retries", "3");
        named.Headers.Add("Retry-On", "409,410");

        Assert.Equal(HttpStatusCode.OK, (await kit.Api.SendAsync(named, _ct)).StatusCode);
    }

    [Theory]
    [InlineData("https://attacker.example")]
    [InlineData("http://www.googleapis.com")]
    [InlineData("https://www.googleapis.com.attacker.example")]
    [InlineData("http://127.0.0.1:1")]
    public async Task Proxy_ToAHostThatIsNotGoogle_IsRefused_AndNothingIsSent(string baseUrl)
    {
        using var kit = await ConnectionKit.CreateAsync(fixture.Host);
        var id = await ImportAsync(kit, "proxy-relay-" + Guid.NewGuid().ToString("N")[..6]);
        var request = Proxy(HttpMethod.Get, Events, id);
        request.Headers.Add("Base-Url-Override", baseUrl);

        var response = await kit.Api.SendAsync(request, _ct);

        await NangoRoutesTests.AssertErrorAsync(response, HttpStatusCode.BadRequest, "invalid_proxy_target");
    }

    [Fact]
    public async Task Proxy_PathThatClimbsOutOfTheApi_IsRefused()
    {
        using var kit = await ConnectionKit.CreateAsync(fixture.Host);
        var id = await ImportAsync(kit, "proxy-climb");

        // Encoded so that no client or server normalises it away before the proxy sees it.
        var response = await kit.Api.SendAsync(Proxy(HttpMethod.Get, "/proxy/..%2F..%2Fsandbox%2Fnango%2Fconnections", id), _ct);

        await NangoRoutesTests.AssertErrorAsync(response, HttpStatusCode.BadRequest, "invalid_proxy_target");
    }

    [Fact]
    public async Task Proxy_WithoutItsHeaders_OrForAnotherIntegration_IsRefusedInNangosShape()
    {
        using var kit = await ConnectionKit.CreateAsync(fixture.Host);

        var missing = await kit.Api.GetAsync(Events, _ct);
        var other = Proxy(HttpMethod.Get, Events, "whatever");
        other.Headers.Remove("Provider-Config-Key");
        other.Headers.Add("Provider-Config-Key", "github");

        var errors = (await NangoRoutesTests.AssertErrorAsync(missing, HttpStatusCode.BadRequest, "invalid_headers")).GetProperty("errors");
        Assert.Equal(2, errors.GetArrayLength());
        await NangoRoutesTests.AssertErrorAsync(await kit.Api.SendAsync(other, _ct), HttpStatusCode.BadRequest, "unknown_provider_config");
        var anonymous = await fixture.Host.Http.SendAsync(Proxy(HttpMethod.Get, Events, "whatever"), _ct);
        await NangoRoutesTests.AssertErrorAsync(anonymous, HttpStatusCode.Unauthorized, "missing_auth_header");
    }

    /// <summary>The proxy pointed at a recording endpoint: what Google would receive.</summary>
    [Fact]
    public async Task Proxy_SendsGoogleTheConnectionsToken_AndTheCallersProxyHeaders_NeverTheTenantKeyOrCookies()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var host = await ServiceHost.StartAsync(new Dictionary<string, string?> { ["Nango:Proxy:BaseUrl"] = receiver.BaseUrl.AbsoluteUri });
        using var kit = await ConnectionKit.CreateAsync(host);
        var id = await ImportAsync(kit, "proxy-headers");
        var token = (await kit.TokenOkAsync(id)).AccessToken;
        var request = Proxy(HttpMethod.Post, "/proxy/calendar/v3/calendars/primary/events?sendUpdates=none", id);
        request.Headers.Add("Nango-Proxy-X-Custom", "kept");
        request.Headers.Add("Nango-Proxy-Authorization", "Bearer smuggled");
        request.Headers.Add("Cookie", "session=tenant");
        request.Headers.Add("X-Not-Prefixed", "dropped");
        request.Content = JsonContent.Create(new { summary = "x" });

        var response = await kit.Api.SendAsync(request, _ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var seen = Assert.Single(receiver.Received);
        Assert.Equal("/calendar/v3/calendars/primary/events", seen.Path);
        Assert.Equal("?sendUpdates=none", seen.Query);
        Assert.Equal($"Bearer {token}", seen.Headers["authorization"]);
        Assert.Equal("kept", seen.Headers["x-custom"]);
        Assert.StartsWith("application/json", seen.Headers["content-type"], StringComparison.Ordinal);
        Assert.Equal("""{"summary":"x"}""", seen.BodyText);
        Assert.False(seen.Headers.ContainsKey("cookie"));
        Assert.False(seen.Headers.ContainsKey("x-not-prefixed"));
        Assert.DoesNotContain(seen.Headers.Values, value => value.Contains(kit.Tenant.ApiKey, StringComparison.Ordinal));
    }

    internal static HttpRequestMessage Proxy(HttpMethod method, string path, string connectionId)
    {
        var request = new HttpRequestMessage(method, path);
        request.Headers.Add("Connection-Id", connectionId);
        request.Headers.Add("Provider-Config-Key", "google-calendar");
        return request;
    }

    internal static async Task<string> ImportAsync(ConnectionKit kit, string id)
    {
        await NangoRoutesTests.ImportAsync(kit, id, "eu-" + id, await kit.MintRefreshTokenAsync(id + "@example.com"));
        return id;
    }
}
