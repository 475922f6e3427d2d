using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CalendarGrains.Calls;
using CalendarGrains.Connections;
using CalendarGrains.Sandbox.Vapi;
using CalendarGrains.Silo.Calls;
using CalendarGrains.Silo.Http;
using CalendarGrains.Silo.Tenants;
using CalendarGrains.Silo.Vapi;
using CalendarGrains.Tests.Infrastructure;

namespace CalendarGrains.Tests.Calls;

/// <summary>
/// One tenant with its own Vapi account at the emulator (server URL = our events endpoint for the
/// tenant, secret = its vapiServerSecret, as a tenant sets up its Vapi org) and one connection.
/// Tests share the emulator but not accounts, so each looks only at its own org's calls.
/// </summary>
public sealed class CallScenario : IDisposable
{
    public const string DefaultAssistantId = "asst-default";
    public const string DefaultPhoneNumberId = "phone-default";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly ServiceHost _host;
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;

    private CallScenario(ServiceHost host, VapiEmulator vapi, TenantCreatedResponse tenant, string apiKey, string orgId, string connectionId)
    {
        _host = host;
        Vapi = vapi;
        Tenant = tenant;
        VapiApiKey = apiKey;
        OrgId = orgId;
        ConnectionId = connectionId;
        Client = host.Client(tenant.ApiKey);
    }

    public VapiEmulator Vapi { get; }

    public TenantCreatedResponse Tenant { get; }

    public string VapiApiKey { get; }

    public string OrgId { get; }

    public string ConnectionId { get; }

    /// <summary>With the tenant's key.</summary>
    public HttpClient Client { get; }

    public static async Task<CallScenario> StartAsync(ServiceHost host, VapiEmulator vapi, int concurrencyLimit = 10, string? googleClientId = null, string? googleClientSecret = null, string? webhookUrl = null)
    {
        var apiKey = "vapi-test-" + Guid.NewGuid().ToString("N");
        var tenant = await TestTenants.CreateAsync(host, new
        {
            name = "Calls " + Guid.NewGuid().ToString("N")[..8],
            google = new { clientId = googleClientId ?? "calls.apps.googleusercontent.com", clientSecret = googleClientSecret ?? "gcs-" + Guid.NewGuid().ToString("N") },
            vapi = new { apiKey, concurrencyLimit, assistantId = DefaultAssistantId, phoneNumberId = DefaultPhoneNumberId },
            webhookUrl, // none unless a test listens: no deliveries to a host that does not exist
            allowedReturnUrls = new[] { "https://platform.example/connected" },
        });
        var account = vapi.RegisterAccount(apiKey, concurrencyLimit, new Uri(host.BaseUrl, VapiEventsApi.PathFor(tenant.Id)), tenant.VapiServerSecret);
        using var client = host.Client(tenant.ApiKey);
        var imported = await client.PostAsJsonAsync(
            "/v1/connections?validate=false",
            new { endUserId = "user-" + Guid.NewGuid().ToString("N")[..8], refreshToken = "1//refresh-" + Guid.NewGuid().ToString("N") },
            TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Created, imported.StatusCode);
        var connection = await imported.Content.ReadFromJsonAsync<ConnectionResource>(Json, TestContext.Current.CancellationToken);
        return new CallScenario(host, vapi, tenant, apiKey, account.OrgId, connection!.Id);
    }

    /// <summary>Changes the Vapi account's own concurrency limit (Vapi's, not the tenant's setting here).</summary>
    public void SetVapiAccountLimit(int concurrencyLimit) =>
        Vapi.RegisterAccount(VapiApiKey, concurrencyLimit, new Uri(_host.BaseUrl, VapiEventsApi.PathFor(Tenant.Id)), Tenant.VapiServerSecret);

    /// <summary>A call body to the default customer through this scenario's connection, with any extra members.</summary>
    public Dictionary<string, object?> Body(string number = "+15550100", params (string Name, object? Value)[] extra)
    {
        var body = new Dictionary<string, object?>
        {
            ["connectionId"] = ConnectionId,
            ["customer"] = new { number },
        };
        foreach (var (name, value) in extra)
        {
            body[name] = value;
        }

        return body;
    }

    public async Task<(HttpResponseMessage Response, CallResource? Call)> PlaceAsync(object body, string? idempotencyKey = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/calls") { Content = JsonContent.Create(body) };
        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }

        var response = await Client.SendAsync(request, _ct);
        var call = response.StatusCode is HttpStatusCode.Accepted or HttpStatusCode.OK
            ? await response.Content.ReadFromJsonAsync<CallResource>(Json, _ct)
            : null;
        return (response, call);
    }

    /// <summary>Places a call that must be accepted (202).</summary>
    public async Task<CallResource> PlaceAcceptedAsync(object? body = null, string? idempotencyKey = null)
    {
        var (response, call) = await PlaceAsync(body ?? Body(), idempotencyKey);
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"202 expected, got {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(_ct)}");
        return call!;
    }

    public async Task<CallResource> GetAsync(string callId) =>
        (await Client.GetFromJsonAsync<CallResource>($"/v1/calls/{callId}", Json, _ct))!;

    public async Task<Page<CallResource>> ListAsync(string query = "") =>
        (await Client.GetFromJsonAsync<Page<CallResource>>($"/v1/calls{query}", Json, _ct))!;

    public Task<CallResource> WaitForAsync(string callId, Func<CallResource, bool> condition, string because, TimeSpan? timeout = null) =>
        Eventually.HoldsAsync(() => GetAsync(callId), condition, timeout ?? TimeSpan.FromSeconds(20), $"{callId}: {because}");

    public Task<CallResource> WaitForStatusAsync(string callId, CallStatus status, TimeSpan? timeout = null) =>
        WaitForAsync(callId, call => call.Status == status, $"status {status}", timeout);

    /// <summary>The calls Vapi (the emulator) created for this tenant's account, oldest first, with their request bodies.</summary>
    public IReadOnlyList<VapiCreatedCall> CreatedCalls() => [.. Vapi.CreatedCalls().Where(call => call.OrgId == OrgId)];

    /// <summary>Created at Vapi and actually started (not refused for lack of a concurrency slot).</summary>
    public IReadOnlyList<VapiCreatedCall> DialledCalls() =>
        [.. CreatedCalls().Where(call => call.EndedReason != VapiEmulator.ConcurrencyLimitReachedReason)];

    /// <summary>Our call id, as the request to Vapi carried it in <c>assistantOverrides.metadata</c>.</summary>
    public static string? OurCallId(VapiCreatedCall created) =>
        created.Request.TryGetProperty("assistantOverrides", out var overrides) && overrides.TryGetProperty("metadata", out var metadata) &&
        metadata.TryGetProperty("callId", out var id) ? id.GetString() : null;

    /// <summary>Posts a server message to the tenant's events endpoint, as Vapi would.</summary>
    public async Task<HttpResponseMessage> PostEventAsync(object message, string? secret = null, string? tenantId = null)
    {
        var content = new StringContent(JsonSerializer.Serialize(new { message }, Json), System.Text.Encoding.UTF8, "application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, VapiEventsApi.PathFor(tenantId ?? Tenant.Id)) { Content = content };

        // Note: a body over the limit is refused before it is read; with 100-continue the client
        // waits for that answer instead of failing to write the rest into a closed connection.
        request.Headers.ExpectContinue = true;
        if (secret is not "")
        {
            request.Headers.Add("X-Vapi-Secret", secret ?? Tenant.VapiServerSecret);
        }

        return await _host.Http.SendAsync(request, _ct);
    }

    public static object StatusUpdate(string vapiCallId, string callId, string status, string? endedReason = null) => new
    {
        type = "status-update",
        status,
        endedReason,
        timestamp = 1_700_000_000_000,
        call = new { id = vapiCallId, status, assistantOverrides = new { metadata = new { callId } } },
    };

    public static object EndOfCallReport(string vapiCallId, string callId, string endedReason, double cost, string? transcript = null) => new
    {
        type = "end-of-call-report",
        endedReason,
        cost,
        startedAt = "2026-01-01T10:00:00.000Z",
        endedAt = "2026-01-01T10:01:00.000Z",
        artifact = new { transcript = transcript ?? "AI: Hello.\nUser: Bye." },
        timestamp = 1_700_000_000_000,
        call = new { id = vapiCallId, status = "ended", assistantOverrides = new { metadata = new { callId } } },
    };

    public void Dispose() => Client.Dispose();
}
