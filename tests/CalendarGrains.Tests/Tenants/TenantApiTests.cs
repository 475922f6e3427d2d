using System.Net;
using System.Net.Http.Json;
using CalendarGrains.Silo.Http;
using CalendarGrains.Tenants;
using CalendarGrains.Tests.Infrastructure;

namespace CalendarGrains.Tests.Tenants;

public sealed class TenantApiTests(SandboxHostFixture fixture) : IClassFixture<SandboxHostFixture>
{
    private readonly ServiceHost _host = fixture.Host;
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;

    [Fact]
    public async Task Create_AsAdmin_ShowsSecretsOnceAndNeverAgain()
    {
        var created = await TestTenants.CreateAsync(_host, TestTenants.Definition(clientSecret: "very-secret-client"));

        Assert.StartsWith("ten_", created.Id, StringComparison.Ordinal);
        Assert.StartsWith("cgk_", created.ApiKey, StringComparison.Ordinal);
        Assert.StartsWith("whsec_", created.WebhookSecret, StringComparison.Ordinal);
        Assert.True(created.Google.HasClientSecret);
        var read = await _host.Admin.GetStringAsync($"/v1/tenants/{created.Id}", _ct);
        Assert.Contains(created.Id, read, StringComparison.Ordinal);
        Assert.DoesNotContain("very-secret-client", read, StringComparison.Ordinal);
        Assert.DoesNotContain(created.ApiKey, read, StringComparison.Ordinal);
        Assert.DoesNotContain(created.WebhookSecret, read, StringComparison.Ordinal);
        Assert.DoesNotContain(created.VapiServerSecret, read, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TenantKey_ListsItsOwnTenantOnly()
    {
        var mine = await TestTenants.CreateAsync(_host);
        await TestTenants.CreateAsync(_host);
        using var client = _host.Client(mine.ApiKey);

        var page = await client.GetFromJsonAsync<Page<TenantView>>("/v1/tenants", _ct);

        var only = Assert.Single(page!.Data);
        Assert.Equal(mine.Id, only.Id);
    }

    [Fact]
    public async Task TenantKey_ReadingAnotherTenant_Is404WithoutItsData()
    {
        var mine = await TestTenants.CreateAsync(_host);
        var theirs = await TestTenants.CreateAsync(_host, TestTenants.Definition(name: "Other Corp"));
        using var client = _host.Client(mine.ApiKey);

        var response = await client.GetAsync($"/v1/tenants/{theirs.Id}", _ct);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.DoesNotContain("Other Corp", await response.Content.ReadAsStringAsync(_ct), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/v1/tenants/{mine.Id}", _ct)).StatusCode);
    }

    [Theory]
    [InlineData("POST", "/v1/tenants")]
    [InlineData("PATCH", "/v1/tenants/{id}")]
    [InlineData("POST", "/v1/tenants/{id}/api-keys")]
    [InlineData("DELETE", "/v1/tenants/{id}/api-keys/{keyId}")]
    [InlineData("GET", "/v1/cluster")]
    public async Task AdminRoutes_RejectTenantKeysAndMissingKeys(string method, string template)
    {
        var tenant = await TestTenants.CreateAsync(_host);
        var path = template.Replace("{id}", tenant.Id, StringComparison.Ordinal).Replace("{keyId}", tenant.ApiKeyId, StringComparison.Ordinal);
        using var tenantClient = _host.Client(tenant.ApiKey);
        using var wrongKey = _host.Client("cgk_not-a-key-that-exists-anywhere-0000000000");

        foreach (var client in new[] { tenantClient, _host.Http, wrongKey })
        {
            using var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = JsonContent.Create(new { name = "x" }) };
            var response = await client.SendAsync(request, _ct);
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }

        // The key that was refused still works where it is allowed: nothing was revoked by the attempts.
        Assert.Equal(HttpStatusCode.OK, (await tenantClient.GetAsync($"/v1/tenants/{tenant.Id}", _ct)).StatusCode);
    }

    [Fact]
    public async Task Patch_ChangesOnlyTheMembersGiven()
    {
        var tenant = await TestTenants.CreateAsync(_host);

        var response = await _host.Admin.PatchAsJsonAsync($"/v1/tenants/{tenant.Id}", new { name = "Renamed", vapi = new { concurrencyLimit = 7 } }, _ct);

        response.EnsureSuccessStatusCode();
        var view = await _host.Admin.GetFromJsonAsync<TenantView>($"/v1/tenants/{tenant.Id}", _ct);
        Assert.Equal("Renamed", view!.Name);
        Assert.Equal(7, view.Vapi.ConcurrencyLimit);
        Assert.True(view.Vapi.HasApiKey);
        Assert.Equal(tenant.Google.ClientId, view.Google.ClientId);
        Assert.Equal(tenant.AllowedReturnUrls, view.AllowedReturnUrls);
    }

    [Fact]
    public async Task ApiKeys_RotateWithoutDowntime_AndARevokedKeyStopsAtOnce()
    {
        var tenant = await TestTenants.CreateAsync(_host);
        using var oldClient = _host.Client(tenant.ApiKey);
        Assert.Equal(HttpStatusCode.OK, (await oldClient.GetAsync("/v1/tenants", _ct)).StatusCode); // warm the cache

        var added = await (await _host.Admin.PostAsync($"/v1/tenants/{tenant.Id}/api-keys", null, _ct)).Content.ReadFromJsonAsync<ApiKeyIssued>(_ct);
        using var newClient = _host.Client(added!.ApiKey);
        Assert.Equal(HttpStatusCode.OK, (await newClient.GetAsync("/v1/tenants", _ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await oldClient.GetAsync("/v1/tenants", _ct)).StatusCode);

        var revoke = await _host.Admin.DeleteAsync($"/v1/tenants/{tenant.Id}/api-keys/{tenant.ApiKeyId}", _ct);

        Assert.Equal(HttpStatusCode.NoContent, revoke.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await oldClient.GetAsync("/v1/tenants", _ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await newClient.GetAsync("/v1/tenants", _ct)).StatusCode);
        var view = await _host.Admin.GetFromJsonAsync<TenantView>($"/v1/tenants/{tenant.Id}", _ct);
        Assert.Equal([added.Id], view!.ApiKeys.Select(k => k.Id));
    }

    [Fact]
    public async Task AdminList_PagesThroughEveryTenantOnceWithTheCursor()
    {
        for (var i = 0; i < 5; i++)
        {
            await TestTenants.CreateAsync(_host);
        }

        var seen = new List<string>();
        string? cursor = null;
        do
        {
            var page = await _host.Admin.GetFromJsonAsync<Page<TenantView>>($"/v1/tenants?limit=2{(cursor is null ? "" : "&cursor=" + cursor)}", _ct);
            Assert.InRange(page!.Data.Count, 0, 2);
            seen.AddRange(page.Data.Select(t => t.Id));
            cursor = page.NextCursor;
        }
        while (cursor is not null);

        Assert.True(seen.Count >= 5);
        Assert.Equal(seen.Count, seen.Distinct().Count());
        Assert.Equal(seen.Order(StringComparer.Ordinal), seen);
    }
}
