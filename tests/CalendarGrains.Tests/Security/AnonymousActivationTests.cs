using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using CalendarGrains.Silo.Vapi;
using CalendarGrains.Tests.Infrastructure;

namespace CalendarGrains.Tests.Security;

/// <summary>
/// Issue 17.4: ids are checked for shape and length before any grain is asked, so random ids from
/// anonymous callers (5,000 client ids once cost 5,000 activations, each a storage read) activate
/// nothing. The rate limiter is off here: it must not be what stops them.
/// </summary>
public sealed class AnonymousActivationTests : IAsyncLifetime
{
    private static readonly string[] WatchedGrains =
        ["ConnectionGrain", "TenantGrain", "ApiKeyGrain", "ConnectSessionGrain", "CallDispatchGrain", "VapiCallLinkGrain", "EndUserGrain"];

    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;
    private ServiceHost _host = null!;

    public async ValueTask InitializeAsync() =>
        _host = await ServiceHost.StartAsync(new Dictionary<string, string?> { ["RateLimiting:Enabled"] = "false" });

    public async ValueTask DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task OAuthToken_5000RandomClientIds_ActivateNoGrain()
    {
        var before = await ActivationsAsync();

        await ForEachAsync(RandomIds(5_000, "conn_", "ten_"), async clientId =>
        {
            var form = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["grant_type"] = "client_credentials",
                ["client_id"] = clientId,
                ["client_secret"] = "cgs_" + RandomText(43),
            });
            using var response = await _host.Http.PostAsync("/oauth2/token", form, _ct);
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        });

        Assert.Equal(before, await ActivationsAsync());
    }

    [Fact]
    public async Task RandomSessionsStatesTenantsAndKeys_ActivateNoGrain()
    {
        var before = await ActivationsAsync();

        await ForEachAsync(RandomIds(300, "cs_"), async sessionId =>
        {
            using var response = await _host.Http.GetAsync($"/v1/connect/{Uri.EscapeDataString(sessionId)}", _ct);
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        });
        await ForEachAsync(RandomIds(300, "cs_"), async sessionId =>
        {
            using var response = await _host.Http.GetAsync($"/v1/oauth/callback?code=c&state={Uri.EscapeDataString(sessionId + "." + RandomText(22))}", _ct);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        });
        await ForEachAsync(RandomIds(300, "ten_"), async tenantId =>
        {
            foreach (var path in new[] { $"/v1/vapi/events/{Uri.EscapeDataString(tenantId)}", $"/v1/vapi/tool-calls/{Uri.EscapeDataString(tenantId)}" })
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent("{}", Encoding.UTF8, "application/json") };
                request.Headers.Add(VapiServerSecret.Header, "vss_" + RandomText(43));
                using var response = await _host.Http.SendAsync(request, _ct);
                Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            }
        });
        await ForEachAsync(RandomIds(300, "cgk_"), async key =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/connections");
            request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + key);
            using var response = await _host.Http.SendAsync(request, _ct);
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        });

        Assert.Equal(before, await ActivationsAsync());
    }

    /// <summary>Activations of the grains an anonymous request could reach, across the cluster (the management grain's count).</summary>
    private async Task<int> ActivationsAsync()
    {
        var statistics = await _host.Grains.GetGrain<IManagementGrain>(0).GetSimpleGrainStatistics();
        return statistics.Where(s => WatchedGrains.Any(name => s.GrainType.Contains(name, StringComparison.Ordinal))).Sum(s => s.ActivationCount);
    }

    /// <summary>
    /// Ids an attacker would try: near our shapes (the right prefix, a wrong length or alphabet),
    /// a tenant-qualified client id with a made-up tenant, GUIDs, and free text of any length.
    /// Note: an id of exactly our shape (easy to make: the shapes are public) reaches its grain;
    /// those are the rate limiter's to stop (<see cref="RateLimitingTests"/>).
    /// </summary>
    private static IEnumerable<string> RandomIds(int count, params string[] prefixes) => Enumerable.Range(0, count).Select(i => (i % 5) switch
    {
        0 => prefixes[i % prefixes.Length] + RandomText(RandomNumberGenerator.GetInt32(1, 40)) + "~",
        1 => prefixes[i % prefixes.Length] + RandomText(26).ToUpperInvariant(),
        2 => "ten_" + RandomText(20) + "/user-" + i,
        3 => Guid.NewGuid().ToString(),
        _ => RandomText(RandomNumberGenerator.GetInt32(1, 300)),
    });

    private static string RandomText(int length) =>
        new([.. RandomNumberGenerator.GetItems("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.~".AsSpan(), length)]);

    private async Task ForEachAsync(IEnumerable<string> ids, Func<string, Task> send) =>
        await Parallel.ForEachAsync(ids, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = _ct }, async (id, _) => await send(id));
}
