using System.Net;
using System.Net.Http.Json;
using CalendarGrains.Security;
using CalendarGrains.Tests.Connections;
using CalendarGrains.Tests.Infrastructure;
using CalendarGrains.Tests.Nango;
using CalendarGrains.Tests.Webhooks;
using CalendarGrains.Webhooks;
using Microsoft.Extensions.DependencyInjection;

namespace CalendarGrains.Tests.Security;

/// <summary>
/// Issue 17.6: a tenant's webhook URLs (ours and Nango's) may not name an internal address, and a
/// name that resolves to one is refused when we connect (DNS rebinding), unless the operator
/// allows private networks. The sandbox allows them by default; this host does not.
/// </summary>
public sealed class WebhookAddressTests : IAsyncLifetime
{
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;
    private ServiceHost _host = null!;

    public async ValueTask InitializeAsync() =>
        _host = await ServiceHost.StartAsync(new Dictionary<string, string?> { ["Webhooks:AllowPrivateNetworks"] = "false" });

    public async ValueTask DisposeAsync() => await _host.DisposeAsync();

    [Theory]
    [InlineData("http://169.254.169.254/latest/meta-data/")]
    [InlineData("http://[::ffff:127.0.0.1]:8080/hooks")]
    [InlineData("http://10.0.0.5/hooks")]
    [InlineData("http://localhost:8080/hooks")]
    public async Task CreateAndPatch_InternalWebhookUrls_Are400_AndChangeNothing(string url)
    {
        var create = await _host.Admin.PostAsJsonAsync("/v1/tenants", TestTenants.Definition(webhookUrl: url), _ct);
        var tenant = await TestTenants.CreateAsync(_host);
        var patch = await _host.Admin.PatchAsJsonAsync($"/v1/tenants/{tenant.Id}", new { webhookUrl = url }, _ct);
        var nango = await _host.Admin.PatchAsJsonAsync($"/v1/tenants/{tenant.Id}", new { nango = new { webhookUrl = url, webhookSigningKey = "nango-signing-key-0123456789" } }, _ct);

        await ProblemAssert.IsProblemAsync(create, HttpStatusCode.BadRequest, "invalid_request", "webhookUrl");
        await ProblemAssert.IsProblemAsync(patch, HttpStatusCode.BadRequest, "invalid_request", "webhookUrl");
        await ProblemAssert.IsProblemAsync(nango, HttpStatusCode.BadRequest, "invalid_request", "nango.webhookUrl");
        Assert.Equal(tenant.WebhookUrl, (await _host.Admin.GetFromJsonAsync<CalendarGrains.Tenants.TenantView>($"/v1/tenants/{tenant.Id}", _ct))!.WebhookUrl);
    }

    [Fact]
    public async Task ANameThatResolvesToAnInternalAddress_IsRefusedWhenConnecting_ByBothOutboxes_AndNothingIsSent()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var url = $"http://{LoopbackName()}:{receiver.BaseUrl.Port}/hooks";
        using var kit = await ConnectionKit.CreateAsync(_host, webhookUrl: url); // accepted: a name, not an address
        var nangoSettings = await _host.Admin.PatchAsJsonAsync(
            $"/v1/tenants/{kit.Tenant.Id}", new { nango = new { webhookUrl = url + "/nango", webhookSigningKey = "nango-signing-key-0123456789" } }, _ct);
        nangoSettings.EnsureSuccessStatusCode();

        await NangoRoutesTests.ImportAsync(kit, "rebound-" + Guid.NewGuid().ToString("N")[..8], "rebound-user", "1//r", validate: false);
        string? Failure(string outboxKey) => _host.Logs.Lines.FirstOrDefault(
            line => line.Contains($"of tenant {outboxKey} ", StringComparison.Ordinal) && line.Contains(" failed (", StringComparison.Ordinal));
        var standard = await Eventually.HoldsAsync(() => Task.FromResult(Failure(kit.Tenant.Id)), line => line is not null, because: "the tenant's outbox tried once");
        var nango = await Eventually.HoldsAsync(() => Task.FromResult(Failure(WebhookOutboxKeys.Nango(kit.Tenant.Id))), line => line is not null, because: "the Nango outbox tried once");
        var factory = _host.Services.GetRequiredService<IHttpClientFactory>();
        var direct = await Assert.ThrowsAsync<HttpRequestException>(() => factory.CreateClient(WebhookSender.HttpClientName).PostAsync(url, null, _ct));

        Assert.Contains("address_refused", standard, StringComparison.Ordinal);
        Assert.Contains("address_refused", nango, StringComparison.Ordinal);
        Assert.IsType<OutboundAddressRefusedException>(direct.InnerException);
        Assert.Empty(receiver.Received);
    }

    [Fact]
    public async Task TheSameName_WithPrivateNetworksAllowed_IsDelivered()
    {
        await using var open = await ServiceHost.StartAsync(new Dictionary<string, string?> { ["Webhooks:AllowPrivateNetworks"] = "true" });
        await using var receiver = await WebhookReceiver.StartAsync();
        var url = $"http://{LoopbackName()}:{receiver.BaseUrl.Port}/hooks";
        using var kit = await ConnectionKit.CreateAsync(open, webhookUrl: url);

        await NangoRoutesTests.ImportAsync(kit, "allowed-" + Guid.NewGuid().ToString("N")[..8], "allowed-user", "1//r", validate: false);

        await Eventually.HoldsAsync(() => Task.FromResult(receiver.Received.Count), count => count > 0, because: "the operator allowed private networks");
    }

    /// <summary>This machine's name: resolved through the hosts file to a loopback or private address, as a rebinding name would be.</summary>
    private static string LoopbackName()
    {
        var name = Dns.GetHostName();
        var addresses = Dns.GetHostAddresses(name);
        if (!OutboundAddressPolicy.IsAllowedUrl(new Uri($"http://{name}/")) || addresses.Length == 0 || addresses.Any(OutboundAddressPolicy.IsPublic))
        {
            Assert.Skip($"This machine's name ({name}) does not resolve only to internal addresses; no stand-in for a rebinding name.");
        }

        return name;
    }
}
