using System.Net;
using System.Net.Http.Json;
using CalendarGrains.Silo.Tenants;
using CalendarGrains.Tests.Infrastructure;

namespace CalendarGrains.Tests.Security;

/// <summary>
/// Issue 17.4: ASP.NET Core rate limiting, per client address for anonymous requests and per key for
/// authenticated ones; a refusal is 429 problem+json with Retry-After. Small buckets here (a burst
/// and one request a second), so the test runs out of them within a few requests.
/// </summary>
public sealed class RateLimitingTests : IAsyncLifetime
{
    private const int AnonymousBurst = 5;
    private const int PerKeyBurst = 12;
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;
    private ServiceHost _host = null!;

    public async ValueTask InitializeAsync() => _host = await ServiceHost.StartAsync(new Dictionary<string, string?>
    {
        ["RateLimiting:Anonymous:Burst"] = AnonymousBurst.ToString(),
        ["RateLimiting:Anonymous:PermitsPerSecond"] = "1",
        ["RateLimiting:PerKey:Burst"] = PerKeyBurst.ToString(),
        ["RateLimiting:PerKey:PermitsPerSecond"] = "1",
    });

    public async ValueTask DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Anonymous_OverItsBucket_Is429ProblemWithRetryAfter_WhileKeysAndProbesGoOn()
    {
        var tenant = await TestTenants.CreateAsync(_host);
        using var tenantClient = _host.Client(tenant.ApiKey);
        Assert.Equal(HttpStatusCode.OK, (await tenantClient.GetAsync("/v1/tenants", _ct)).StatusCode); // the key is known (warm) from here on

        using var madeUp = _host.Client("cgk_" + new string('a', 43));
        var refused = await FirstRefusalAsync(() => _host.Http.PostAsync("/oauth2/token", Form(), _ct), AnonymousBurst + 3);
        // A made-up key is not a key: it spends the address's bucket, which is empty. Asked at once
        // and up to three times: the bucket regains one request a second, so on a slow machine one may pass.
        var madeUpAnswers = new List<HttpStatusCode>();
        for (var i = 0; i < 3 && !madeUpAnswers.Contains(HttpStatusCode.TooManyRequests); i++)
        {
            madeUpAnswers.Add((await madeUp.GetAsync("/v1/tenants", _ct)).StatusCode);
        }

        await ProblemAssert.IsProblemAsync(refused, HttpStatusCode.TooManyRequests, "rate_limited");
        Assert.True(refused.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1), $"Retry-After: {refused.Headers.RetryAfter}");
        Assert.Contains(HttpStatusCode.TooManyRequests, madeUpAnswers);
        Assert.Equal(HttpStatusCode.OK, (await tenantClient.GetAsync("/v1/tenants", _ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _host.Http.GetAsync("/health/ready", _ct)).StatusCode);
    }

    [Fact]
    public async Task EachKey_HasItsOwnBucket()
    {
        var first = await TestTenants.CreateAsync(_host);
        var second = await TestTenants.CreateAsync(_host);
        using var firstClient = _host.Client(first.ApiKey);
        using var secondClient = _host.Client(second.ApiKey);

        var refused = await FirstRefusalAsync(() => firstClient.GetAsync("/v1/tenants", _ct), PerKeyBurst + 3);

        await ProblemAssert.IsProblemAsync(refused, HttpStatusCode.TooManyRequests, "rate_limited");
        var other = await secondClient.GetFromJsonAsync<CalendarGrains.Silo.Http.Page<CalendarGrains.Tenants.TenantView>>("/v1/tenants", _ct);
        Assert.Equal(second.Id, Assert.Single(other!.Data).Id);
    }

    /// <summary>Sends until refused; the bucket refills by one a second, so a refusal comes within a few more than the burst.</summary>
    private static async Task<HttpResponseMessage> FirstRefusalAsync(Func<Task<HttpResponseMessage>> send, int attempts)
    {
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < attempts; i++)
        {
            var response = await send();
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                Assert.True(statuses.Count >= 1, "the first request is allowed");
                return response;
            }

            statuses.Add(response.StatusCode);
        }

        Assert.Fail($"never refused after {attempts} requests: {string.Join(", ", statuses)}");
        return null!;
    }

    private static FormUrlEncodedContent Form() => new(new Dictionary<string, string>
    {
        ["grant_type"] = "client_credentials",
        ["client_id"] = "conn_00000000000000000000000000",
        ["client_secret"] = "cgs_x",
    });
}
