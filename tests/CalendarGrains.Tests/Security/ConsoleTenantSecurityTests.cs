using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using CalendarGrains.Tenants;
using CalendarGrains.Tests.Infrastructure;
using CalendarGrains.Tests.WebConsole;

namespace CalendarGrains.Tests.Security;

/// <summary>
/// Issue 17.6 and 17.7 through the console's tenant forms, which share <c>TenantAdministration</c>
/// with <c>/v1/tenants</c>: an internal webhook URL is refused there too, an emptied field removes
/// the URL, and both secrets can be rotated (shown once, the old one still working).
/// </summary>
public sealed partial class ConsoleTenantSecurityTests : IAsyncLifetime
{
    private const string MetadataUrl = "http://169.254.169.254/latest/meta-data/";
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;
    private ServiceHost _host = null!;

    public async ValueTask InitializeAsync() =>
        _host = await ServiceHost.StartAsync(new Dictionary<string, string?> { ["Webhooks:AllowPrivateNetworks"] = "false" });

    public async ValueTask DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task CreateAndEdit_AnInternalWebhookUrl_Is400WithTheFieldsError_AndChangesNothing()
    {
        using var console = await AdminAsync();
        var tenant = await TestTenants.CreateAsync(_host);
        var before = await TenantCountAsync();

        var create = await console.PostFormAsync("/console/tenants/new", "create-tenant",
            ("Form.Name", "Metadata"), ("Form.GoogleClientId", "m.apps.googleusercontent.com"), ("Form.GoogleClientSecret", "gcs-m"),
            ("Form.WebhookUrl", MetadataUrl));
        var edit = await console.PostFormAsync($"/console/tenants/{tenant.Id}", "tenant-settings", ("Form.WebhookUrl", "http://10.0.0.5/hooks"));

        Assert.Equal(HttpStatusCode.BadRequest, create.StatusCode);
        Assert.Contains("must not point at a loopback", await create.Content.ReadAsStringAsync(_ct), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, edit.StatusCode);
        Assert.Contains("must not point at a loopback", await edit.Content.ReadAsStringAsync(_ct), StringComparison.Ordinal);
        Assert.Equal(before, await TenantCountAsync());
        Assert.Equal(tenant.WebhookUrl, (await ViewAsync(tenant.Id)).WebhookUrl);
    }

    [Fact]
    public async Task Edit_AnEmptiedWebhookUrlField_RemovesTheUrl()
    {
        using var console = await AdminAsync();
        var tenant = await TestTenants.CreateAsync(_host);
        Assert.NotNull(tenant.WebhookUrl);

        var saved = await console.PostFormAsync($"/console/tenants/{tenant.Id}", "tenant-settings", ("Form.Name", tenant.Name), ("Form.WebhookUrl", ""));

        Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
        Assert.Null((await ViewAsync(tenant.Id)).WebhookUrl);
    }

    [Theory]
    [InlineData("WebhookSecret", "whsec_")]
    [InlineData("VapiServerSecret", "vss_")]
    public async Task Rotate_ShowsTheNewSecretOnce(string secret, string prefix)
    {
        using var console = await AdminAsync();
        var tenant = await TestTenants.CreateAsync(_host);
        var page = $"/console/tenants/{tenant.Id}";

        var rotated = await console.PostFormAsync(page, "rotate-secret", ("RotateSecret", secret));
        var html = await rotated.Content.ReadAsStringAsync(_ct);
        var shown = RotatedSecret().Match(html).Groups[1].Value;

        Assert.Equal(HttpStatusCode.OK, rotated.StatusCode);
        Assert.StartsWith(prefix, shown, StringComparison.Ordinal);
        Assert.NotEqual(tenant.WebhookSecret, shown);
        Assert.NotEqual(tenant.VapiServerSecret, shown);
        Assert.DoesNotContain(shown, await console.GetPageAsync(page), StringComparison.Ordinal);
    }

    private async Task<ConsoleClient> AdminAsync()
    {
        var console = new ConsoleClient(_host);
        Assert.Equal(HttpStatusCode.Found, (await console.SignInAsync(ServiceHost.AdminKey)).StatusCode);
        return console;
    }

    private async Task<TenantView> ViewAsync(string id) => (await _host.Admin.GetFromJsonAsync<TenantView>($"/v1/tenants/{id}", _ct))!;

    private async Task<int> TenantCountAsync() =>
        (await _host.Admin.GetFromJsonAsync<CalendarGrains.Silo.Http.Page<TenantView>>("/v1/tenants?limit=200", _ct))!.Data.Count;

    [GeneratedRegex("<code id=\"rotated-secret\">([^<]+)</code>")]
    private static partial Regex RotatedSecret();
}
