using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.RegularExpressions;
using CalendarGrains.Silo.Vapi;
using CalendarGrains.Tests.Connections;
using CalendarGrains.Tests.Infrastructure;
using CalendarGrains.Tests.Nango;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace CalendarGrains.Tests.Security;

/// <summary>
/// Issue 17.3: malformed bodies and content types to every POST, PUT and PATCH route (enumerated
/// from the running app's endpoints, so a new route is covered without editing this test) are a
/// 4xx, never a 5xx, whoever sends them.
/// </summary>
public sealed partial class BadInputFuzzTests(BadInputFuzzTests.UnlimitedHostFixture fixture) : IClassFixture<BadInputFuzzTests.UnlimitedHostFixture>
{
    /// <summary>
    /// A sandbox host without rate limiting: the fuzz sends a few thousand anonymous requests from one
    /// address, and each must reach its route (a 429 would hide a 500), nor may it use up the
    /// address's bucket for the other tests of the class.
    /// </summary>
    public sealed class UnlimitedHostFixture : IAsyncLifetime
    {
        public ServiceHost Host { get; private set; } = null!;

        public async ValueTask InitializeAsync() => Host = await ServiceHost.StartAsync(new Dictionary<string, string?> { ["RateLimiting:Enabled"] = "false" });

        public async ValueTask DisposeAsync() => await Host.DisposeAsync();
    }

    private const string LoneSurrogates =
        """{"name":"\ud800","endUserId":"\udc00x","refreshToken":"\ud83d","id":"\ud800","connection_id":"\ud800","provider_config_key":"google-calendar","metadata":{"\ud800":"\udfff"},"credentials":{"type":"OAUTH2","refresh_token":"\ud800"},"connectionId":"\ud800","customer":{"number":"\ud800"},"message":{"type":"tool-calls","toolCallList":[{"id":"\ud800","function":{"name":"check_availability","arguments":{"timeZone":"\ud800","from":"\udc00"}}}],"call":{"id":"\ud800","assistantOverrides":{"variableValues":{"connectionId":"\ud800"},"metadata":{"callId":"\ud800"}}},"status":"\ud800"}}""";

    private static readonly (string Body, string? ContentType)[] Bodies =
    [
        ("{\"name\":", "application/json"),
        ("null", "application/json"),
        ("[]", "application/json"),
        ("\"just a string\"", "application/json"),
        ("1e999999", "application/json"),
        (LoneSurrogates, "application/json"),
        (LoneSurrogates, "application/json; charset=utf-8"),
        ("""{"\ud800":1}""", "application/json"),
        (new string('[', 200) + new string(']', 200), "application/json"),
        ("{\"name\":\"a\u0000b\",\"endUserId\":\"\u0000\"}", "application/json"),
        // Well-formed bodies of the main routes with a lone surrogate in a member the route keeps or reads.
        ("""{"endUserId":"\ud800","returnUrl":"https://acme.example/connected"}""", "application/json"),
        ("""{"endUserId":"u-\ud800","refreshToken":"1//r"}""", "application/json"),
        ("""{"endUserId":"u-surrogate","refreshToken":"1//r","metadata":{"a":"\ud800"}}""", "application/json"),
        ("""{"metadata":{"a":"\udc00"}}""", "application/json"),
        ("""{"connectionId":"{connectionId}","customer":{"number":"+15550100"},"assistantOverrides":{"variableValues":{"a":"\ud800"}},"metadata":{"b":"\udc00"}}""", "application/json"),
        ("""{"name":"\ud800","google":{"clientId":"c","clientSecret":"s"},"webhookUrl":"https://x.example/\ud800"}""", "application/json"),
        ("""{"message":{"type":"status-update","status":"\ud800","endedReason":"\ud800","call":{"id":"\ud800","assistantOverrides":{"metadata":{"callId":"\ud800"}}}}}""", "application/json"),
        ("""{"message":{"type":"end-of-call-report","call":{"id":"vapi-\udc00"}}}""", "application/json"),
        ("""{"connection_id":"x","provider_config_key":"google-calendar","credentials":{"type":"OAUTH2","refresh_token":"\ud800"},"end_user":{"id":"\ud800"}}""", "application/json"),
        // The calendar tools' settings and phone-number routes: kept JSON (workingHours) and plain members.
        ("""{"timeZone":"\ud800","workingHours":{"timeZone":"\udc00","days":{"\ud800":["09:00-\ud800"]}},"eventScope":"\ud800"}""", "application/json"),
        ("""{"workingHours":{"days":{"mon":["\ud800"]}}}""", "application/json"),
        ("""{"connectionId":"\ud800","assistantId":"\udc00","timeZone":"\ud800"}""", "application/json"),
        ("""{"endUserId":"u-\ud800","assistantId":"a"}""", "application/json"),
        ("{\"name\":\"x\"}", "application/json; charset=bogus"),
        ("{\"name\":\"x\"}", "application/json; charset=utf-16"),
        ("{\"name\":\"x\"}", "application/json; charset=\"\""),
        ("{\"name\":\"x\"}", "text/plain"),
        ("{\"name\":\"x\"}", null),
        ("a=%00&client_id=%00&grant_type=%00", "application/x-www-form-urlencoded"),
        ("a=%ZZ&=&&==&%", "application/x-www-form-urlencoded; charset=bogus"),
        ("--x\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nb", "multipart/form-data; boundary=x"),
        ("anything", "multipart/form-data"),
        ("anything", "multipart/form-data; boundary=\"\""),
        (string.Join('&', Enumerable.Range(0, 1100).Select(i => $"f{i}=v")), "application/x-www-form-urlencoded"),
    ];

    private readonly ServiceHost _host = fixture.Host;
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;

    [Fact]
    public async Task EveryWriteRoute_MalformedBodiesAndContentTypes_AreA4xx_NeverA5xx()
    {
        using var kit = await ConnectionKit.CreateAsync(_host);
        var connectionId = "fuzz-" + Guid.NewGuid().ToString("N")[..8];
        await NangoRoutesTests.ImportAsync(kit, connectionId, "fuzz-user", "1//fuzz", validate: false);
        var vapiSecret = kit.Tenant.VapiServerSecret;
        var routes = WriteRoutes();
        Assert.Contains(routes, r => r.Pattern == "/oauth2/token");
        Assert.Contains(routes, r => r.Pattern == "/v1/vapi/tool-calls/{tenantId}");
        Assert.Contains(routes, r => r.Pattern == "/connections/metadata");

        var failures = new List<string>();
        using var anonymous = _host.Client(null);
        foreach (var (method, pattern) in routes)
        {
            var path = Fill(pattern, kit.Tenant.Id, connectionId);
            foreach (var (body, contentType) in Bodies)
            {
                foreach (var caller in new[] { anonymous, _host.Admin, kit.Api })
                {
                    using var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = Content(body.Replace("{connectionId}", connectionId, StringComparison.Ordinal), contentType) };
                    if (ReferenceEquals(caller, kit.Api))
                    {
                        request.Headers.TryAddWithoutValidation(VapiServerSecret.Header, vapiSecret);
                    }

                    using var response = await caller.SendAsync(request, _ct);
                    if ((int)response.StatusCode >= 500 || response.StatusCode == HttpStatusCode.TooManyRequests)
                    {
                        failures.Add($"{method} {path} [{contentType ?? "no content type"}] {Shorten(body)} → {(int)response.StatusCode}");
                    }
                }
            }
        }

        // Nothing unreadable was stored on the way: every list still answers.
        foreach (var (caller, path) in new[] { (_host.Admin, "/v1/tenants?limit=200"), (kit.Api, "/v1/connections?limit=200"), (kit.Api, "/v1/calls?limit=200"), (kit.Api, "/connections?provider_config_key=google-calendar") })
        {
            using var response = await caller.GetAsync(path, _ct);
            if ((int)response.StatusCode >= 500)
            {
                failures.Add($"GET {path} after the fuzz → {(int)response.StatusCode}");
            }
        }

        Assert.True(failures.Count == 0, $"{failures.Count} requests answered 5xx:\n{string.Join('\n', failures.Distinct().Take(60))}");
    }

    public static TheoryData<string, string> UnreadableTokenForms() => new()
    {
        { "over 1,024 fields", string.Join('&', Enumerable.Range(0, 1100).Select(i => $"f{i}=v")) + "&grant_type=client_credentials" },
        { "a NUL", "grant_type=client_credentials&client_id=conn_x%00&client_secret=s" },
    };

    [Theory]
    [MemberData(nameof(UnreadableTokenForms))]
    public async Task OAuthToken_UnreadableForm_IsRfc6749InvalidRequest(string name, string form)
    {
        var response = await _host.Http.PostAsync("/oauth2/token", new StringContent(form, Encoding.UTF8, "application/x-www-form-urlencoded"), _ct);

        await AssertOAuthErrorAsync(response, name);
    }

    [Theory]
    [InlineData("multipart/form-data")]
    [InlineData("multipart/form-data; boundary=x")]
    [InlineData("multipart/form-data; boundary=\"\"")]
    public async Task OAuthToken_Multipart_IsRfc6749InvalidRequest(string contentType)
    {
        var response = await _host.Http.PostAsync("/oauth2/token", Content("--x\r\nContent-Disposition: form-data; name=\"grant_type\"\r\n\r\nclient_credentials", contentType), _ct);

        await AssertOAuthErrorAsync(response, contentType);
    }

    [Theory]
    [InlineData("application/json; charset=bogus")]
    [InlineData("application/json; charset=\"\"")]
    public async Task JsonRoute_UnknownCharset_Is415Problem(string contentType)
    {
        using var kit = await ConnectionKit.CreateAsync(_host);

        var response = await kit.Api.PostAsync("/v1/connect-sessions", Content("{\"endUserId\":\"u\",\"returnUrl\":\"https://acme.example/connected\"}", contentType), _ct);

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.UnsupportedMediaType, "unsupported_media_type");
    }

    [Fact]
    public async Task LoneSurrogate_IsTheCallersError_OnToolCallsVapiEventsAndNango()
    {
        using var kit = await ConnectionKit.CreateAsync(_host);
        var toolCall = """{"message":{"type":"tool-calls","toolCallList":[{"id":"tc-\ud800","function":{"name":"check_availability","arguments":{}}}]}}""";
        var secret = kit.Tenant.VapiServerSecret;

        var tools = await PostWithSecretAsync(kit, $"/v1/vapi/tool-calls/{kit.Tenant.Id}", toolCall, secret);
        var events = await PostWithSecretAsync(kit, $"/v1/vapi/events/{kit.Tenant.Id}", """{"message":{"type":"status-update","status":"ringing","call":{"id":"\ud800"}}}""", secret);
        var nango = await kit.Api.PostAsync("/connections/metadata", Content("""{"connection_id":"x","provider_config_key":"google-calendar","metadata":{"\ud800":1}}""", "application/json"), _ct);
        var metadata = await kit.Api.PostAsync("/v1/connections?validate=false", Content("""{"endUserId":"u-lone","refreshToken":"1//r","metadata":{"a":"\ud800"}}""", "application/json"), _ct);

        Assert.Equal(HttpStatusCode.OK, tools.StatusCode); // Vapi reads only results: an unreadable message has none.
        Assert.Equal("{\"results\":[]}", await tools.Content.ReadAsStringAsync(_ct));
        await ProblemAssert.IsProblemAsync(events, HttpStatusCode.BadRequest, "invalid_request");
        await NangoRoutesTests.AssertErrorAsync(nango, HttpStatusCode.BadRequest, "invalid_body");
        await ProblemAssert.IsProblemAsync(metadata, HttpStatusCode.BadRequest, "invalid_request", "metadata");
    }

    private async Task<HttpResponseMessage> PostWithSecretAsync(ConnectionKit kit, string path, string body, string secret)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = Content(body, "application/json") };
        request.Headers.Add(VapiServerSecret.Header, secret);
        return await _host.Http.SendAsync(request, _ct);
    }

    private async Task AssertOAuthErrorAsync(HttpResponseMessage response, string because)
    {
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{because}: {(int)response.StatusCode}");
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var error = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync(_ct));
        Assert.Equal("invalid_request", error.RootElement.GetProperty("error").GetString());
        Assert.True(error.RootElement.TryGetProperty("error_description", out _));
    }

    /// <summary>The product's write routes; the sandbox's emulators and the dashboard are not the product.</summary>
    private List<(string Method, string Pattern)> WriteRoutes() =>
    [
        .. _host.Services.GetRequiredService<EndpointDataSource>().Endpoints
            .OfType<RouteEndpoint>()
            .Select(e => (Methods: e.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.HttpMethodMetadata>()?.HttpMethods ?? [], Pattern: "/" + e.RoutePattern.RawText!.TrimStart('/')))
            .Where(e => !e.Pattern.StartsWith("/sandbox", StringComparison.Ordinal) && !e.Pattern.StartsWith("/dashboard", StringComparison.Ordinal))
            .SelectMany(e => e.Methods.Where(m => m is "POST" or "PUT" or "PATCH").Select(m => (m, e.Pattern)))
            .Distinct(),
    ];

    private static string Fill(string pattern, string tenantId, string connectionId) => Parameter().Replace(pattern, match => match.Groups[1].Value switch
    {
        "tenantId" => tenantId,
        "id" when pattern.StartsWith("/v1/tenants", StringComparison.Ordinal) => tenantId,
        "id" when pattern.StartsWith("/v1/calls", StringComparison.Ordinal) => "call_01aaaaaaaaaaaaaaaaaaaaaaaa",
        "id" or "connectionId" => connectionId,
        "phoneNumber" => "+15550100100",
        _ => "x",
    });

    private static ByteArrayContent Content(string body, string? contentType)
    {
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
        if (contentType is not null)
        {
            content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        }

        return content;
    }

    private static string Shorten(string body) => body.Length <= 40 ? body : body[..40] + "…";

    [GeneratedRegex(@"\{\**([A-Za-z]+)[^}]*\}")]
    private static partial Regex Parameter();
}
