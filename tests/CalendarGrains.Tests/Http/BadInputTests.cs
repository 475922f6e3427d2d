using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using CalendarGrains.Tenants;
using CalendarGrains.Tests.Infrastructure;

namespace CalendarGrains.Tests.Http;

/// <summary>
/// Every kind of bad input gets the documented problem+json with a stable code, never a 500,
/// and leaves what is stored as it was.
/// </summary>
public sealed class BadInputTests(SandboxHostFixture fixture) : IClassFixture<SandboxHostFixture>
{
    private readonly ServiceHost _host = fixture.Host;
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;

    public enum Caller
    {
        Admin,
        Tenant,
        Nobody,
    }

    public sealed record Case(string Name, Caller Caller, string Method, string Path, string? Body, string ContentType, HttpStatusCode Status, string Code, string? ErrorField = null)
    {
        public override string ToString() => Name;
    }

    public static TheoryData<Case> Cases() =>
    [
        new Case("malformed JSON", Caller.Admin, "POST", "/v1/tenants", "{\"name\":", "application/json", HttpStatusCode.BadRequest, "invalid_request", "name"),
        new Case("not JSON at all", Caller.Admin, "POST", "/v1/tenants", "name=acme", "application/json", HttpStatusCode.BadRequest, "invalid_request", "$"),
        new Case("wrong type", Caller.Admin, "POST", "/v1/tenants", "{\"name\":5}", "application/json", HttpStatusCode.BadRequest, "invalid_request", "name"),
        new Case("wrong nested type", Caller.Admin, "PATCH", "/v1/tenants/{id}", "{\"vapi\":{\"concurrencyLimit\":\"ten\"}}", "application/json", HttpStatusCode.BadRequest, "invalid_request", "vapi.concurrencyLimit"),
        new Case("missing fields", Caller.Admin, "POST", "/v1/tenants", "{}", "application/json", HttpStatusCode.BadRequest, "invalid_request", "name"),
        new Case("missing nested field", Caller.Admin, "POST", "/v1/tenants", "{\"name\":\"a\",\"google\":{\"clientId\":\"c\"}}", "application/json", HttpStatusCode.BadRequest, "invalid_request", "google.clientSecret"),
        new Case("not a URL", Caller.Admin, "PATCH", "/v1/tenants/{id}", "{\"webhookUrl\":\"ftp://x\"}", "application/json", HttpStatusCode.BadRequest, "invalid_request", "webhookUrl"),
        new Case("out of range", Caller.Admin, "PATCH", "/v1/tenants/{id}", "{\"vapi\":{\"concurrencyLimit\":0}}", "application/json", HttpStatusCode.BadRequest, "invalid_request", "vapi.concurrencyLimit"),
        new Case("JSON null body", Caller.Admin, "POST", "/v1/tenants", "null", "application/json", HttpStatusCode.BadRequest, "invalid_request"),
        new Case("no body", Caller.Admin, "POST", "/v1/tenants", null, "application/json", HttpStatusCode.BadRequest, "invalid_request"),
        new Case("wrong media type", Caller.Admin, "POST", "/v1/tenants", "{}", "text/plain", HttpStatusCode.UnsupportedMediaType, "unsupported_media_type"),
        new Case("1 MiB body", Caller.Admin, "POST", "/v1/tenants", "{\"name\":\"" + new string('a', 1024 * 1024) + "\"}", "application/json", HttpStatusCode.RequestEntityTooLarge, "payload_too_large"),
        new Case("just over 64 KiB", Caller.Admin, "PATCH", "/v1/tenants/{id}", "{\"name\":\"" + new string('a', 64 * 1024) + "\"}", "application/json", HttpStatusCode.RequestEntityTooLarge, "payload_too_large"),
        new Case("unknown route", Caller.Admin, "GET", "/v1/nothing-here", null, "application/json", HttpStatusCode.NotFound, "not_found"),
        new Case("unknown route, no key", Caller.Nobody, "GET", "/nothing-here", null, "application/json", HttpStatusCode.NotFound, "not_found"),
        new Case("wrong method", Caller.Admin, "DELETE", "/v1/tenants", null, "application/json", HttpStatusCode.MethodNotAllowed, "method_not_allowed"),
        new Case("unknown tenant", Caller.Admin, "PATCH", "/v1/tenants/ten_00000000000000000000000000", "{\"name\":\"x\"}", "application/json", HttpStatusCode.NotFound, "not_found"),
        new Case("malformed tenant id", Caller.Admin, "GET", "/v1/tenants/../../etc", null, "application/json", HttpStatusCode.NotFound, "not_found"),
        new Case("bad cursor", Caller.Admin, "GET", "/v1/tenants?cursor=%%%", null, "application/json", HttpStatusCode.BadRequest, "invalid_request", "cursor"),
        new Case("limit too large", Caller.Admin, "GET", "/v1/tenants?limit=100000", null, "application/json", HttpStatusCode.BadRequest, "invalid_request", "limit"),
        new Case("limit not a number", Caller.Admin, "GET", "/v1/tenants?limit=many", null, "application/json", HttpStatusCode.BadRequest, "invalid_request"),
        new Case("no key", Caller.Nobody, "GET", "/v1/tenants", null, "application/json", HttpStatusCode.Unauthorized, "unauthorized"),
        new Case("tenant key on admin route", Caller.Tenant, "POST", "/v1/tenants", "{}", "application/json", HttpStatusCode.Unauthorized, "unauthorized"),
    ];

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task BadInput_GetsTheDocumentedProblem_AndChangesNothing(Case @case)
    {
        var tenant = await TestTenants.CreateAsync(_host);
        var before = await _host.Admin.GetStringAsync($"/v1/tenants/{tenant.Id}", _ct);
        using var client = @case.Caller switch
        {
            Caller.Admin => _host.Client(ServiceHost.AdminKey),
            Caller.Tenant => _host.Client(tenant.ApiKey),
            _ => _host.Client(null),
        };
        using var request = new HttpRequestMessage(new HttpMethod(@case.Method), @case.Path.Replace("{id}", tenant.Id, StringComparison.Ordinal));
        if (@case.Body is not null)
        {
            request.Content = new StringContent(@case.Body, Encoding.UTF8, @case.ContentType);
        }

        var response = await client.SendAsync(request, _ct);

        await ProblemAssert.IsProblemAsync(response, @case.Status, @case.Code, @case.ErrorField);

        Assert.Equal(before, await _host.Admin.GetStringAsync($"/v1/tenants/{tenant.Id}", _ct));
    }

    [Fact]
    public async Task BadInput_NeverEchoesTheSecretItCarried()
    {
        const string secret = "do-not-echo-this-secret";
        var response = await _host.Admin.PostAsync(
            "/v1/tenants",
            new StringContent($"{{\"name\":\"a\",\"google\":{{\"clientId\":\"c\",\"clientSecret\":\"{secret}\",\"scopes\":\"not-a-list\"}}}}", Encoding.UTF8, "application/json"),
            _ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.DoesNotContain(secret, await response.Content.ReadAsStringAsync(_ct), StringComparison.Ordinal);
        Assert.DoesNotContain(secret, _host.Logs.All, StringComparison.Ordinal);
        var page = await _host.Admin.GetFromJsonAsync<CalendarGrains.Silo.Http.Page<TenantView>>("/v1/tenants?limit=200", _ct);
        Assert.DoesNotContain(page!.Data, t => t.Name == "a");
    }
}
