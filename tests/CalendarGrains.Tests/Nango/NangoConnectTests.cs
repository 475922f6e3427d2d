using System.Net;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using CalendarGrains.Testing;
using CalendarGrains.Tests.Connections;
using CalendarGrains.Tests.Infrastructure;

namespace CalendarGrains.Tests.Nango;

/// <summary>
/// Nango Connect over the wire the front-end SDK uses: <c>POST /connect/sessions</c>, the websocket at
/// the root, the popup's <c>/oauth/connect/google-calendar</c>, Google's consent, our callback.
/// </summary>
public sealed class NangoConnectTests(SandboxHostFixture fixture) : IClassFixture<SandboxHostFixture>
{
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;
    private readonly HttpClient _browser = new(new HttpClientHandler { AllowAutoRedirect = false });

    [Fact]
    public async Task TheSdksWebsocket_HearsSuccess_WithTheConnectionTheCallbackStored()
    {
        using var kit = await ConnectionKit.CreateAsync(fixture.Host);
        var token = await CreateSessionAsync(kit, "ws-user");
        using var socket = await OpenSocketAsync();
        var ack = await ReceiveAsync(socket);
        Assert.Equal("connection_ack", ack.GetProperty("message_type").GetString());
        var wsClientId = ack.GetProperty("ws_client_id").GetString()!;

        var consent = await FollowAsync($"/oauth/connect/google-calendar?connect_session_token={token}&ws_client_id={wsClientId}");
        var callback = await GoogleConsent.ApproveAsync(_browser, consent, "ws@example.com", _ct);
        var landed = await BrowseAsync(callback);
        var outcome = await ReceiveAsync(socket);

        await ConnectPagesTests.AssertPageAsync(landed, HttpStatusCode.OK, "Google Calendar connected");
        Assert.Equal("success", outcome.GetProperty("message_type").GetString());
        Assert.Equal("google-calendar", outcome.GetProperty("provider_config_key").GetString());
        Assert.False(outcome.GetProperty("is_pending").GetBoolean());
        var connectionId = outcome.GetProperty("connection_id").GetString();
        var connection = await kit.Api.GetFromJsonAsync<JsonElement>($"/v1/connections/{connectionId}", _ct);
        Assert.Equal("ws-user", connection.GetProperty("endUserId").GetString());
        Assert.Equal("ws@example.com", connection.GetProperty("accountEmail").GetString());
        Assert.Equal(WebSocketMessageType.Close, (await socket.ReceiveAsync(new byte[64], _ct)).MessageType);
    }

    [Fact]
    public async Task TheSdksWebsocket_HearsTheRefusal_WhenTheUserDeclines_AndNothingIsStored()
    {
        using var kit = await ConnectionKit.CreateAsync(fixture.Host);
        var token = await CreateSessionAsync(kit, "ws-declines");
        using var socket = await OpenSocketAsync();
        var wsClientId = (await ReceiveAsync(socket)).GetProperty("ws_client_id").GetString()!;

        var consent = await FollowAsync($"/oauth/connect/google-calendar?connect_session_token={token}&ws_client_id={wsClientId}");
        var landed = await BrowseAsync(await GoogleConsent.DenyAsync(_browser, consent, _ct));
        var outcome = await ReceiveAsync(socket);

        await ConnectPagesTests.AssertPageAsync(landed, HttpStatusCode.OK, "You declined access");
        Assert.Equal("error", outcome.GetProperty("message_type").GetString());
        Assert.Equal("callback_err", outcome.GetProperty("error_type").GetString());
        Assert.Contains("declined", outcome.GetProperty("error_desc").GetString(), StringComparison.Ordinal);
        var page = await kit.Api.GetFromJsonAsync<JsonElement>("/v1/connections?endUserId=ws-declines", _ct);
        Assert.Equal(0, page.GetProperty("data").GetArrayLength());
    }

    [Fact]
    public async Task ThePopup_WithAnUnknownToken_ShowsAPage_AndTellsTheWebsocket()
    {
        using var socket = await OpenSocketAsync();
        var wsClientId = (await ReceiveAsync(socket)).GetProperty("ws_client_id").GetString()!;

        var page = await BrowseAsync(new Uri(fixture.Host.BaseUrl, $"/oauth/connect/google-calendar?connect_session_token=nango_connect_session_cs_nope&ws_client_id={wsClientId}"));
        var outcome = await ReceiveAsync(socket);

        await ConnectPagesTests.AssertPageAsync(page, HttpStatusCode.NotFound, "This link isn&#x27;t valid");
        Assert.Equal("invalid_connect_session_token", outcome.GetProperty("error_type").GetString());
    }

    [Fact]
    public async Task CreateSession_ChecksTheBodyAsNangoDoes()
    {
        using var kit = await ConnectionKit.CreateAsync(fixture.Host);

        var unknownMember = await kit.Api.PostAsJsonAsync("/connect/sessions", new { end_user = new { id = "u" }, surprise = true }, _ct);
        var noEndUser = await kit.Api.PostAsJsonAsync("/connect/sessions", new { allowed_integrations = new[] { "google-calendar" } }, _ct);
        var badEmail = await kit.Api.PostAsJsonAsync("/connect/sessions", new { end_user = new { id = "u", email = "nope" } }, _ct);
        var otherIntegration = await kit.Api.PostAsJsonAsync("/connect/sessions",
            new { end_user = new { id = "u" }, integrations_config_defaults = new Dictionary<string, object> { ["slack"] = new { } } }, _ct);
        var anonymous = await fixture.Host.Http.PostAsJsonAsync("/connect/sessions", new { end_user = new { id = "u" } }, _ct);

        Assert.Equal("unrecognized_keys", Issue(await NangoRoutesTests.AssertErrorAsync(unknownMember, HttpStatusCode.BadRequest, "invalid_body")));
        Assert.Equal("invalid_type", Issue(await NangoRoutesTests.AssertErrorAsync(noEndUser, HttpStatusCode.BadRequest, "invalid_body")));
        Assert.Equal("custom", Issue(await NangoRoutesTests.AssertErrorAsync(badEmail, HttpStatusCode.BadRequest, "invalid_body")));
        Assert.Equal("custom", Issue(await NangoRoutesTests.AssertErrorAsync(otherIntegration, HttpStatusCode.BadRequest, "invalid_body")));
        await NangoRoutesTests.AssertErrorAsync(anonymous, HttpStatusCode.Unauthorized, "missing_auth_header");
    }

    [Theory]
    [InlineData("GET", "/providers")]
    [InlineData("POST", "/sync/trigger")]
    [InlineData("GET", "/records?model=Event")]
    [InlineData("PATCH", "/connections/some-id")]
    [InlineData("GET", "/connect/session")]
    public async Task UnservedNangoRoutes_Answer404InNangosShape(string method, string path)
    {
        var response = await fixture.Host.Http.SendAsync(new HttpRequestMessage(new HttpMethod(method), path), _ct);

        var error = await NangoRoutesTests.AssertErrorAsync(response, HttpStatusCode.NotFound, "not_found");
        Assert.Contains("is not served", error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task OurOwnUnknownRoutes_KeepProblemJson()
    {
        var response = await fixture.Host.Http.GetAsync("/v1/no-such-route", _ct);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task OpenApi_DescribesConnectProxyAndIntegrations_AndNotTheWebsocketOrTheCatchAlls()
    {
        var paths = (await fixture.Host.Http.GetFromJsonAsync<JsonElement>("/openapi/v1.json", _ct)).GetProperty("paths");
        var names = paths.EnumerateObject().Select(p => p.Name).ToList();

        Assert.Contains("/connect/sessions", names);
        Assert.Contains("/integrations", names);
        Assert.Contains("/v1/connect-sessions/{sessionId}", names);
        Assert.Contains(names, name => name.StartsWith("/proxy/", StringComparison.Ordinal));
        Assert.DoesNotContain("/", names);
        Assert.DoesNotContain(names, name => name.EndsWith("{rest}", StringComparison.Ordinal));
    }

    internal static async Task<string> CreateSessionAsync(ConnectionKit kit, string endUserId)
    {
        var response = await kit.Api.PostAsJsonAsync("/connect/sessions", new { end_user = new { id = endUserId } }, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken)).GetProperty("data").GetProperty("token").GetString()!;
    }

    private static string? Issue(JsonElement error) => error.GetProperty("errors")[0].GetProperty("code").GetString();

    private async Task<ClientWebSocket> OpenSocketAsync()
    {
        var socket = new ClientWebSocket();
        await socket.ConnectAsync(new Uri(fixture.Host.BaseUrl.AbsoluteUri.Replace("http://", "ws://", StringComparison.Ordinal)), _ct);
        return socket;
    }

    private async Task<JsonElement> ReceiveAsync(ClientWebSocket socket)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(_ct);
        deadline.CancelAfter(TimeSpan.FromSeconds(30));
        var buffer = new byte[4096];
        var received = await socket.ReceiveAsync(buffer, deadline.Token);
        Assert.Equal(WebSocketMessageType.Text, received.MessageType);
        Assert.True(received.EndOfMessage);
        return JsonDocument.Parse(Encoding.UTF8.GetString(buffer, 0, received.Count)).RootElement.Clone();
    }

    /// <summary>The popup's first hop: answers Google's consent URL.</summary>
    private async Task<Uri> FollowAsync(string pathAndQuery)
    {
        var response = await BrowseAsync(new Uri(fixture.Host.BaseUrl, pathAndQuery));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return response.Headers.Location!;
    }

    private async Task<HttpResponseMessage> BrowseAsync(Uri url)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.TryAddWithoutValidation("Accept", "text/html,application/xhtml+xml,*/*;q=0.8");
        return await _browser.SendAsync(request, _ct);
    }
}
