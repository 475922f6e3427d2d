using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CalendarGrains.Tests.Infrastructure;
using CalendarGrains.Tests.Webhooks;

namespace CalendarGrains.Tests.Connections;

/// <summary>
/// <c>Grains:OperationBudget</c>: every connection operation's Google calls, retries included, end
/// within one deadline below Orleans' response timeout. Here the budget is 2 s and Google is slower.
/// </summary>
public sealed class OperationBudgetTests : IAsyncLifetime
{
    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(2);
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;
    private WebhookReceiver _revocationEndpoint = null!;
    private ServiceHost _host = null!;

    public async ValueTask InitializeAsync()
    {
        // A revocation endpoint that never answers (it holds every request), in place of Google's.
        _revocationEndpoint = await WebhookReceiver.StartAsync();
        _revocationEndpoint.Hold();
        _host = await ServiceHost.StartAsync(new Dictionary<string, string?>
        {
            ["Grains:OperationBudget"] = "00:00:02",
            ["Calls:DispatchTimeout"] = "00:00:02",
            ["Calls:ReadTimeout"] = "00:00:02",
            ["Google:RevocationEndpoint"] = _revocationEndpoint.Url(),
        });
    }

    public async ValueTask DisposeAsync()
    {
        await _host.DisposeAsync();
        await _revocationEndpoint.DisposeAsync();
    }

    [Fact]
    public async Task ARevocationThatCannotFinishInTheBudget_Is503_AndErasesNothing()
    {
        using var kit = await ConnectionKit.CreateAsync(_host);
        var id = await kit.ConnectAsync("slow-revoke", "slow-revoke@example.com");
        var clock = Stopwatch.StartNew();

        var response = await kit.Api.DeleteAsync($"/v1/connections/{id}", _ct);

        // Without the budget the client's own retries (4 attempts of 5 s) would hold the grain ~21 s.
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(12), $"the delete took {clock.Elapsed}, past its budget of {Budget}");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("provider_unavailable", (await response.Content.ReadFromJsonAsync<JsonElement>(_ct)).GetProperty("code").GetString());
        Assert.Equal("active", (await kit.Api.GetFromJsonAsync<JsonElement>($"/v1/connections/{id}", _ct)).GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.OK, (await kit.TokenAsync(id)).StatusCode);
        var page = await kit.Api.GetFromJsonAsync<JsonElement>("/v1/connections", _ct);
        Assert.Contains(page.GetProperty("data").EnumerateArray(), c => c.GetProperty("id").GetString() == id);
    }

    [Fact]
    public async Task AValidatingImportThatCannotRefreshInTheBudget_Is503_AndStoresNothing()
    {
        using var kit = await ConnectionKit.CreateAsync(_host);
        var refreshToken = await kit.MintRefreshTokenAsync("slow-import@example.com");
        kit.Google.Latency = Budget * 2; // each token call answers, but only after the budget is spent
        try
        {
            var response = await kit.Api.PostAsJsonAsync("/v1/connections", new { id = "slow-import", endUserId = "slow-import", refreshToken }, _ct);

            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await kit.Api.GetAsync("/v1/connections/slow-import", _ct)).StatusCode);
        }
        finally
        {
            kit.Google.Latency = TimeSpan.Zero;
        }
    }

    [Fact]
    public async Task ARefreshThatCannotFinishInTheBudget_Is503WithRetryAfter_NotAHang()
    {
        using var kit = await ConnectionKit.CreateAsync(_host);
        var refreshToken = await kit.MintRefreshTokenAsync("slow-refresh@example.com");
        var imported = await kit.Api.PostAsJsonAsync("/v1/connections?validate=false", new { id = "slow-refresh", endUserId = "slow-refresh", refreshToken }, _ct);
        Assert.Equal(HttpStatusCode.Created, imported.StatusCode); // no access token cached: the first request must refresh
        kit.Google.Latency = Budget * 2;
        try
        {
            var response = await kit.TokenAsync("slow-refresh");

            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            Assert.True(response.Headers.RetryAfter?.Delta > TimeSpan.Zero);
            Assert.Equal("timeout", (await kit.Api.GetFromJsonAsync<JsonElement>("/v1/connections/slow-refresh", _ct)).GetProperty("lastError").GetProperty("code").GetString());
        }
        finally
        {
            kit.Google.Latency = TimeSpan.Zero;
        }
    }
}
