using System.Net;
using System.Net.Http.Json;
using CalendarGrains.Silo.Connections;
using CalendarGrains.Silo.Tenants;
using CalendarGrains.Testing;
using CalendarGrains.Tests.Infrastructure;
using Microsoft.AspNetCore.WebUtilities;

namespace CalendarGrains.Tests.Tenants;

/// <summary>
/// The README's sandbox walk-through: the operator creates "Acme" through the API, and Acme's end
/// user connects at the emulated Google, which knows Acme's client without a manual step.
/// </summary>
public sealed class SandboxTenantClientTests(SandboxHostFixture fixture) : IClassFixture<SandboxHostFixture>
{
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;

    [Fact]
    public async Task ATenantCreatedThroughTheApi_ConnectsAtTheEmulatedGoogle()
    {
        var acme = await CreateAcmeAsync(clientSecret: "s3cret");

        var connectionId = await ConnectAsync(acme, "ada@example.com");

        using var api = fixture.Host.Client(acme.ApiKey);
        Assert.Equal(HttpStatusCode.OK, (await api.PostAsync($"/v1/connections/{connectionId}/token", null, _ct)).StatusCode);
    }

    [Fact]
    public async Task AnotherClient_SetThroughTheApi_IsRegisteredToo()
    {
        var acme = await CreateAcmeAsync(clientSecret: "first-secret");
        var clientId = $"acme-moved-{Guid.NewGuid():N}.apps.googleusercontent.com";
        using var changed = await fixture.Host.Admin.PatchAsJsonAsync($"/v1/tenants/{acme.Id}", new { google = new { clientId, clientSecret = "second-secret" } }, _ct);
        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);

        Assert.StartsWith("conn_", await ConnectAsync(acme, "grace@example.com"), StringComparison.Ordinal);
    }

    /// <summary>The README's request, with a client id of its own so tests do not share one.</summary>
    private async Task<TenantCreatedResponse> CreateAcmeAsync(string clientSecret) =>
        await TestTenants.CreateAsync(fixture.Host, new
        {
            name = "Acme",
            google = new { clientId = $"acme-{Guid.NewGuid():N}.apps.googleusercontent.com", clientSecret },
            vapi = new { apiKey = "vapi-private-key", concurrencyLimit = 10 },
            allowedReturnUrls = new[] { "https://acme.example/done" },
        });

    private async Task<string> ConnectAsync(TenantCreatedResponse tenant, string email)
    {
        using var api = fixture.Host.Client(tenant.ApiKey);
        using var browser = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
        var session = await (await api.PostAsJsonAsync("/v1/connect-sessions", new { endUserId = email, returnUrl = "https://acme.example/done" }, _ct))
            .Content.ReadFromJsonAsync<ConnectSessionResponse>(_ct);
        var toGoogle = await browser.GetAsync(session!.ConnectUrl, _ct);
        var callback = await GoogleConsent.ApproveAsync(browser, toGoogle.Headers.Location!, email, _ct);
        var back = await browser.GetAsync(callback, _ct);

        Assert.Equal(HttpStatusCode.Redirect, back.StatusCode);
        Assert.StartsWith("https://acme.example/done?", back.Headers.Location!.AbsoluteUri, StringComparison.Ordinal);
        var query = QueryHelpers.ParseQuery(back.Headers.Location.Query);
        Assert.False(query.ContainsKey("error"), $"connect failed: {back.Headers.Location}");
        return query["connectionId"].ToString();
    }
}
