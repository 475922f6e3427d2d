using System.Net;
using System.Net.Http.Json;
using CalendarGrains.Tenants;
using CalendarGrains.Tests.Infrastructure;

namespace CalendarGrains.Tests.Tenants;

/// <summary>A tenant's API keys are capped (<c>Tenants:MaxApiKeys</c>), with a problem that says what to do.</summary>
public sealed class ApiKeyLimitTests
{
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;

    [Fact]
    public async Task AddingAKeyBeyondTheCap_Is409ApiKeyLimitReached_UntilOneIsRevoked()
    {
        await using var host = await ServiceHost.StartAsync(new Dictionary<string, string?> { ["Tenants:MaxApiKeys"] = "3" });
        var tenant = await TestTenants.CreateAsync(host);
        var path = $"/v1/tenants/{tenant.Id}/api-keys";
        var second = await AddAsync(host, path);
        await AddAsync(host, path);

        var refused = await host.Admin.PostAsync(path, null, _ct);

        await ProblemAssert.IsProblemAsync(refused, HttpStatusCode.Conflict, "api_key_limit_reached");
        Assert.Contains("Tenants:MaxApiKeys", await refused.Content.ReadAsStringAsync(_ct), StringComparison.Ordinal);
        var view = await host.Admin.GetFromJsonAsync<TenantView>($"/v1/tenants/{tenant.Id}", _ct);
        Assert.Equal(3, view!.ApiKeys.Count);

        Assert.Equal(HttpStatusCode.NoContent, (await host.Admin.DeleteAsync($"{path}/{second.Id}", _ct)).StatusCode);
        var again = await AddAsync(host, path);
        using var client = host.Client(again.ApiKey);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/v1/tenants", _ct)).StatusCode);
    }

    private async Task<ApiKeyIssued> AddAsync(ServiceHost host, string path)
    {
        var response = await host.Admin.PostAsync(path, null, _ct);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<ApiKeyIssued>(_ct))!;
    }
}
