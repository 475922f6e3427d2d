using System.Net;
using System.Text;
using System.Text.Json;
using CalendarGrains.Tests.Infrastructure;

namespace CalendarGrains.Tests.Calls;

/// <summary>
/// The call routes' bad input, in the shape of <c>Http/BadInputTests</c>: the documented
/// problem+json with a stable code, never a 500, and nothing placed.
/// </summary>
public sealed class CallBadInputTests(SandboxHostFixture fixture) : IClassFixture<SandboxHostFixture>
{
    private const string UnknownConnection = "conn_01m00000000000000000000000";

    private readonly ServiceHost _host = fixture.Host;
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;

    public enum Caller
    {
        Tenant,
        Admin,
        Nobody,

        /// <summary>No API key; <c>X-Vapi-Secret</c> with the tenant's vapiServerSecret.</summary>
        Vapi,

        /// <summary>No API key; a wrong <c>X-Vapi-Secret</c>.</summary>
        WrongSecret,
    }

    public sealed record Case(string Name, Caller Caller, string Method, string Path, string? Body, HttpStatusCode Status, string Code, string? ErrorField = null, string? IdempotencyKey = null, string ContentType = "application/json")
    {
        public override string ToString() => Name;
    }

    public static TheoryData<Case> Cases() =>
    [
        new Case("empty body", Caller.Tenant, "POST", "/v1/calls", "{}", HttpStatusCode.BadRequest, "invalid_request", "connectionId"),
        new Case("no customer number", Caller.Tenant, "POST", "/v1/calls", Call("\"customer\":{}"), HttpStatusCode.BadRequest, "invalid_request", "customer.number"),
        new Case("number not E.164", Caller.Tenant, "POST", "/v1/calls", Call("\"customer\":{\"number\":\"555-0100\"}"), HttpStatusCode.BadRequest, "invalid_request", "customer.number"),
        new Case("customer name over 40", Caller.Tenant, "POST", "/v1/calls", Call($"\"customer\":{{\"number\":\"+15550100\",\"name\":\"{new string('n', 41)}\"}}"), HttpStatusCode.BadRequest, "invalid_request", "customer.name"),
        new Case("number of the wrong type", Caller.Tenant, "POST", "/v1/calls", Call("\"customer\":{\"number\":15550100}"), HttpStatusCode.BadRequest, "invalid_request", "customer.number"),
        new Case("assistantId and assistant", Caller.Tenant, "POST", "/v1/calls", Valid("\"assistantId\":\"a\",\"assistant\":{}"), HttpStatusCode.BadRequest, "invalid_request", "assistant"),
        new Case("assistant not an object", Caller.Tenant, "POST", "/v1/calls", Valid("\"assistant\":\"a\""), HttpStatusCode.BadRequest, "invalid_request", "assistant"),
        new Case("overrides not an object", Caller.Tenant, "POST", "/v1/calls", Valid("\"assistantOverrides\":[]"), HttpStatusCode.BadRequest, "invalid_request", "assistantOverrides"),
        new Case("override variables not an object", Caller.Tenant, "POST", "/v1/calls", Valid("\"assistantOverrides\":{\"variableValues\":5}"), HttpStatusCode.BadRequest, "invalid_request", "assistantOverrides.variableValues"),
        new Case("override credentials not a list", Caller.Tenant, "POST", "/v1/calls", Valid("\"assistantOverrides\":{\"credentials\":{}}"), HttpStatusCode.BadRequest, "invalid_request", "assistantOverrides.credentials"),
        new Case("metadata not an object", Caller.Tenant, "POST", "/v1/calls", Valid("\"metadata\":\"x\""), HttpStatusCode.BadRequest, "invalid_request", "metadata"),
        new Case("scheduledAt not a time", Caller.Tenant, "POST", "/v1/calls", Valid("\"scheduledAt\":\"tomorrow\""), HttpStatusCode.BadRequest, "invalid_request", "scheduledAt"),
        new Case("scheduledAt too far ahead", Caller.Tenant, "POST", "/v1/calls", Valid("\"scheduledAt\":\"2099-01-01T00:00:00Z\""), HttpStatusCode.BadRequest, "invalid_request", "scheduledAt"),
        new Case("connectionId with a slash", Caller.Tenant, "POST", "/v1/calls", "{\"connectionId\":\"a/b\",\"customer\":{\"number\":\"+15550100\"}}", HttpStatusCode.BadRequest, "invalid_request", "connectionId"),
        new Case("no assistant, no default", Caller.Tenant, "POST", "/v1/calls", Call("\"customer\":{\"number\":\"+15550100\"}"), HttpStatusCode.BadRequest, "invalid_request", "assistantId"),
        new Case("no phone number, no default", Caller.Tenant, "POST", "/v1/calls", Call("\"customer\":{\"number\":\"+15550100\"},\"assistantId\":\"a\""), HttpStatusCode.BadRequest, "invalid_request", "phoneNumberId"),
        new Case("unknown connection", Caller.Tenant, "POST", "/v1/calls", Valid(""), HttpStatusCode.NotFound, "not_found"),
        new Case("Idempotency-Key too long", Caller.Tenant, "POST", "/v1/calls", Valid(""), HttpStatusCode.BadRequest, "invalid_request", "Idempotency-Key", IdempotencyKey: new string('k', 256)),
        new Case("malformed JSON", Caller.Tenant, "POST", "/v1/calls", "{\"connectionId\":", HttpStatusCode.BadRequest, "invalid_request"),
        new Case("wrong media type", Caller.Tenant, "POST", "/v1/calls", Valid(""), HttpStatusCode.UnsupportedMediaType, "unsupported_media_type", ContentType: "text/plain"),
        new Case("over 64 KiB", Caller.Tenant, "POST", "/v1/calls", Valid($"\"metadata\":{{\"a\":\"{new string('a', 64 * 1024)}\"}}"), HttpStatusCode.RequestEntityTooLarge, "payload_too_large"),
        new Case("no key", Caller.Nobody, "POST", "/v1/calls", Valid(""), HttpStatusCode.Unauthorized, "unauthorized"),
        new Case("admin key on a tenant route", Caller.Admin, "POST", "/v1/calls", Valid(""), HttpStatusCode.Unauthorized, "unauthorized"),
        new Case("wrong method", Caller.Tenant, "DELETE", "/v1/calls", null, HttpStatusCode.MethodNotAllowed, "method_not_allowed"),
        new Case("unknown call", Caller.Tenant, "GET", "/v1/calls/call_01m00000000000000000000000", null, HttpStatusCode.NotFound, "not_found"),
        new Case("malformed call id", Caller.Tenant, "GET", "/v1/calls/conn_x", null, HttpStatusCode.NotFound, "not_found"),
        new Case("cancel an unknown call", Caller.Tenant, "POST", "/v1/calls/call_01m00000000000000000000000/cancel", null, HttpStatusCode.NotFound, "not_found"),
        new Case("unknown status filter", Caller.Tenant, "GET", "/v1/calls?status=done", null, HttpStatusCode.BadRequest, "invalid_request", "status"),
        new Case("bad connectionId filter", Caller.Tenant, "GET", "/v1/calls?connectionId=a%2Fb", null, HttpStatusCode.BadRequest, "invalid_request", "connectionId"),
        new Case("bad cursor", Caller.Tenant, "GET", "/v1/calls?cursor=%%%", null, HttpStatusCode.BadRequest, "invalid_request", "cursor"),
        new Case("limit too large", Caller.Tenant, "GET", "/v1/calls?limit=100000", null, HttpStatusCode.BadRequest, "invalid_request", "limit"),
        new Case("events: no secret", Caller.Nobody, "POST", "/v1/vapi/events/{tenantId}", Event(), HttpStatusCode.Unauthorized, "unauthorized"),
        new Case("events: wrong secret", Caller.WrongSecret, "POST", "/v1/vapi/events/{tenantId}", Event(), HttpStatusCode.Unauthorized, "unauthorized"),
        new Case("events: unknown tenant", Caller.Vapi, "POST", "/v1/vapi/events/ten_01m00000000000000000000000", Event(), HttpStatusCode.Unauthorized, "unauthorized"),
        new Case("events: malformed JSON", Caller.Vapi, "POST", "/v1/vapi/events/{tenantId}", "{\"message\":", HttpStatusCode.BadRequest, "invalid_request", "$"),
        new Case("events: over 4 MiB", Caller.Vapi, "POST", "/v1/vapi/events/{tenantId}", $"{{\"message\":{{\"padding\":\"{new string('p', (4 * 1024 * 1024) + 1)}\"}}}}", HttpStatusCode.RequestEntityTooLarge, "payload_too_large"),
        new Case("events: wrong method", Caller.Vapi, "GET", "/v1/vapi/events/{tenantId}", null, HttpStatusCode.MethodNotAllowed, "method_not_allowed"),
    ];

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task BadInput_GetsTheDocumentedProblem_AndPlacesNothing(Case @case)
    {
        var tenant = await TestTenants.CreateAsync(_host);
        using var client = @case.Caller switch
        {
            Caller.Tenant => _host.Client(tenant.ApiKey),
            Caller.Admin => _host.Client(ServiceHost.AdminKey),
            _ => _host.Client(null),
        };
        using var request = new HttpRequestMessage(new HttpMethod(@case.Method), @case.Path.Replace("{tenantId}", tenant.Id, StringComparison.Ordinal));
        if (@case.Body is not null)
        {
            request.Content = new StringContent(@case.Body, Encoding.UTF8, @case.ContentType);
        }

        // Note: a body over the limit is refused before it is read; with 100-continue the client
        // waits for that answer instead of failing to write the rest into a closed connection.
        request.Headers.ExpectContinue = @case.Body?.Length > 1024 * 1024;
        if (@case.IdempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", @case.IdempotencyKey);
        }

        if (@case.Caller is Caller.Vapi or Caller.WrongSecret)
        {
            request.Headers.Add("X-Vapi-Secret", @case.Caller == Caller.Vapi ? tenant.VapiServerSecret : "vss_not-the-secret");
        }

        var response = await client.SendAsync(request, _ct);

        await ProblemAssert.IsProblemAsync(response, @case.Status, @case.Code, @case.ErrorField);

        using var tenantClient = _host.Client(tenant.ApiKey);
        Assert.Equal("{\"data\":[],\"nextCursor\":null}", await tenantClient.GetStringAsync("/v1/calls", _ct));
    }

    [Fact]
    public async Task OpenApi_DescribesTheCallRoutes()
    {
        var document = await _host.Http.GetStringAsync("/openapi/v1.json", _ct);

        Assert.Contains("\"/v1/calls\"", document, StringComparison.Ordinal);
        Assert.Contains("\"/v1/calls/{id}/cancel\"", document, StringComparison.Ordinal);
        Assert.Contains("\"/v1/vapi/events/{tenantId}\"", document, StringComparison.Ordinal);
    }

    /// <summary>A body with the given members (no assistant or phone number: the test tenant has no defaults).</summary>
    private static string Call(string members) => $"{{\"connectionId\":\"{UnknownConnection}\",{members}}}";

    /// <summary>A body that passes validation (but names a connection nobody has), with extra members.</summary>
    private static string Valid(string extra) =>
        Call("\"customer\":{\"number\":\"+15550100\"},\"phoneNumberId\":\"p\"" + (extra.Contains("assistant", StringComparison.Ordinal) ? "" : ",\"assistantId\":\"a\"") + (extra.Length > 0 ? "," + extra : ""));

    private static string Event() => "{\"message\":{\"type\":\"status-update\",\"status\":\"ended\",\"call\":{\"id\":\"v1\"}}}";
}
