using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using CalendarGrains.Silo.Http;
using CalendarGrains.Tenants;
using CalendarGrains.Tests.Infrastructure;

namespace CalendarGrains.Tests.WebConsole;

/// <summary>The operator's pages: tenants created, changed and re-keyed through the same rules as <c>/v1/tenants</c>.</summary>
public sealed partial class ConsoleAdminTests(SandboxHostFixture fixture) : IClassFixture<SandboxHostFixture>
{
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;

    private ServiceHost Host => fixture.Host;

    [Fact]
    public async Task CreateTenant_ShowsItsSecretsOnce_AndTheKeyWorks()
    {
        using var console = await AdminAsync();

        var created = await console.PostFormAsync("/console/tenants/new", "create-tenant",
            ("Form.Name", "Initech"), ("Form.GoogleClientId", "initech.apps.googleusercontent.com"), ("Form.GoogleClientSecret", "gcs-initech"),
            ("Form.ConcurrencyLimit", "7"), ("Form.WebhookUrl", "https://initech.example/hooks"),
            ("Form.AllowedReturnUrls", "https://initech.example/done\nhttps://initech.example/again"));

        Assert.Equal(HttpStatusCode.OK, created.StatusCode);
        var html = await created.Content.ReadAsStringAsync(_ct);
        var key = ShownApiKey().Match(html).Groups[1].Value;
        Assert.StartsWith("cgk_", key, StringComparison.Ordinal);
        using var api = Host.Client(key);
        var tenant = (await api.GetFromJsonAsync<Page<TenantView>>("/v1/tenants", _ct))!.Data.Single();
        Assert.Equal("Initech", tenant.Name);
        Assert.Equal(7, tenant.Vapi.ConcurrencyLimit);
        Assert.Equal("https://initech.example/hooks", tenant.WebhookUrl);
        Assert.Equal(["https://initech.example/done", "https://initech.example/again"], tenant.AllowedReturnUrls);
        Assert.DoesNotContain(key, await console.GetPageAsync($"/console/tenants/{tenant.Id}"), StringComparison.Ordinal);
        Assert.Contains(tenant.Id, await console.GetPageAsync("/console/tenants"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateTenant_WithABadWebhookUrl_IsRefusedByTheApisRules_AndCreatesNothing()
    {
        using var console = await AdminAsync();
        var before = await TenantCountAsync();

        var refused = await console.PostFormAsync("/console/tenants/new", "create-tenant",
            ("Form.Name", "Bad Hooks"), ("Form.GoogleClientId", "bad.apps.googleusercontent.com"), ("Form.GoogleClientSecret", "gcs-bad"),
            ("Form.WebhookUrl", "ftp://bad.example/hooks"), ("Form.ConcurrencyLimit", "0"));

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var html = await refused.Content.ReadAsStringAsync(_ct);
        Assert.Contains("absolute http or https URL", html, StringComparison.Ordinal); // HttpUrlAttribute's message
        Assert.Contains("between 1 and 10000", html, StringComparison.Ordinal); // Range on vapi.concurrencyLimit
        Assert.Equal(before, await TenantCountAsync());
    }

    [Fact]
    public async Task RotateKeys_TheNewKeyIsShownOnceAndWorks_TheRevokedOneStops()
    {
        var tenant = await TestTenants.CreateAsync(Host);
        using var console = await AdminAsync();
        var page = $"/console/tenants/{tenant.Id}";

        var issued = await console.PostFormAsync(page, "add-key");
        var newKey = NewApiKey().Match(await issued.Content.ReadAsStringAsync(_ct)).Groups[1].Value;
        using var withNew = Host.Client(newKey);
        Assert.Equal(HttpStatusCode.OK, (await withNew.GetAsync("/v1/tenants", _ct)).StatusCode);
        Assert.DoesNotContain(newKey, await console.GetPageAsync(page), StringComparison.Ordinal);

        var revoked = await console.PostFormAsync(page, "revoke-key", ("RevokeKeyId", tenant.ApiKeyId));
        Assert.Contains($"Key {tenant.ApiKeyId} revoked.", await revoked.Content.ReadAsStringAsync(_ct), StringComparison.Ordinal);
        using var withOld = Host.Client(tenant.ApiKey);
        Assert.Equal(HttpStatusCode.Unauthorized, (await withOld.GetAsync("/v1/tenants", _ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await withNew.GetAsync("/v1/tenants", _ct)).StatusCode);
    }

    [Fact]
    public async Task EditSettings_ChangesTheWebhookUrlAndTheLimit_AndKeepsTheSecrets()
    {
        var tenant = await TestTenants.CreateAsync(Host);
        using var console = await AdminAsync();

        var saved = await console.PostFormAsync($"/console/tenants/{tenant.Id}", "tenant-settings",
            ("Form.Name", "Acme Renamed"), ("Form.WebhookUrl", "https://acme.example/new-hooks"), ("Form.ConcurrencyLimit", "12"),
            ("Form.AllowedReturnUrls", "https://acme.example/connected"));

        Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
        Assert.Contains("Saved.", await saved.Content.ReadAsStringAsync(_ct), StringComparison.Ordinal);
        var view = await Host.Admin.GetFromJsonAsync<TenantView>($"/v1/tenants/{tenant.Id}", _ct);
        Assert.Equal("Acme Renamed", view!.Name);
        Assert.Equal("https://acme.example/new-hooks", view.WebhookUrl);
        Assert.Equal(12, view.Vapi.ConcurrencyLimit);
        Assert.True(view.Vapi.HasApiKey); // a blank secret field leaves the secret as it was
        Assert.True(view.Google.HasClientSecret);

        var refused = await console.PostFormAsync($"/console/tenants/{tenant.Id}", "tenant-settings", ("Form.WebhookUrl", "not a url"));
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Equal("https://acme.example/new-hooks", (await Host.Admin.GetFromJsonAsync<TenantView>($"/v1/tenants/{tenant.Id}", _ct))!.WebhookUrl);
    }

    private async Task<ConsoleClient> AdminAsync()
    {
        var console = new ConsoleClient(Host);
        Assert.Equal(HttpStatusCode.Found, (await console.SignInAsync(ServiceHost.AdminKey)).StatusCode);
        return console;
    }

    private async Task<int> TenantCountAsync() =>
        (await Host.Admin.GetFromJsonAsync<Page<TenantView>>("/v1/tenants?limit=200", _ct))!.Data.Count;

    [GeneratedRegex("<code id=\"api-key\">(cgk_[^<]+)</code>")]
    private static partial Regex ShownApiKey();

    [GeneratedRegex("<code id=\"new-api-key\">(cgk_[^<]+)</code>")]
    private static partial Regex NewApiKey();
}
