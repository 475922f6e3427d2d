using System.Net;
using System.Net.Http.Json;
using CalendarGrains.Common;
using CalendarGrains.Sandbox;
using CalendarGrains.Sandbox.Google;
using CalendarGrains.Silo.Connections;
using CalendarGrains.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace CalendarGrains.Tests.Connections;

/// <summary>Connections on real Redis, against a Google emulator in its own host (as Google would be).</summary>
public sealed class RedisConnectionTests(RedisServer redis) : IAsyncLifetime
{
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;
    private readonly FakeTimeProvider _clock = new(TimeProvider.System.GetUtcNow());
    private WebApplication _emulatorApp = null!;
    private Uri _emulator = null!;

    private GoogleEmulator Google => _emulatorApp.Services.GetRequiredService<GoogleEmulator>();

    public async ValueTask InitializeAsync() => (_emulatorApp, _emulator) = await EmulatorHost.StartOnFreePortAsync(_ct);

    public async ValueTask DisposeAsync() => await _emulatorApp.DisposeAsync();

    [Fact]
    public async Task TwoSilosInOneCluster_AThousandConcurrentRequests_CauseOneRefresh()
    {
        var settings = Settings();
        await using var a = await StartAsync(settings);
        await using var b = await StartAsync(settings);
        await Eventually.HoldsAsync(async () => (await a.Admin.GetFromJsonAsync<Silo.Operations.ClusterApi.ClusterView>("/v1/cluster", _ct))!.Silos.Count(s => s.Status == "active") == 2);
        using var kit = await ConnectionKit.CreateAsync(a, Google);
        var id = await kit.ConnectAsync("two-silos", "two-silos@example.com");
        var old = await kit.TokenOkAsync(id);
        _clock.Advance(TimeSpan.FromHours(2));
        var refreshesBefore = Google.GetStats().RefreshGrants;
        Google.Latency = TimeSpan.FromMilliseconds(300);
        using var toA = Client(a, kit.Tenant.ApiKey);
        using var toB = Client(b, kit.Tenant.ApiKey);

        var responses = await Task.WhenAll(Enumerable.Range(0, 1000).Select(i => kit.TokenAsync(id, client: i % 2 == 0 ? toA : toB)));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        var tokens = await Task.WhenAll(responses.Select(r => r.Content.ReadFromJsonAsync<AccessTokenResponse>(_ct)));
        var distinct = tokens.Select(t => t!.AccessToken).Distinct().ToList();
        Assert.Single(distinct);
        Assert.NotEqual(old.AccessToken, distinct[0]);
        Assert.Equal(refreshesBefore + 1, Google.GetStats().RefreshGrants);
    }

    [Fact]
    public async Task Tokens_AreSealedAtRest_AndDeleteLeavesNoTokenBytesInRedis()
    {
        var settings = Settings();
        await using var host = await StartAsync(settings);
        using var kit = await ConnectionKit.CreateAsync(host, Google);
        var refreshToken = await kit.MintRefreshTokenAsync("at-rest@example.com", new Uri(_emulator, "/google/"));
        var import = await kit.Api.PostAsJsonAsync("/v1/connections", new { id = "at-rest-1", endUserId = "at-rest", refreshToken }, _ct);
        Assert.Equal(HttpStatusCode.Created, import.StatusCode);
        var accessToken = (await kit.TokenOkAsync("at-rest-1")).AccessToken;
        var serviceId = settings["Orleans:ServiceId"]!;

        var before = await redis.DumpAsync(serviceId);

        Assert.Contains("at-rest-1", before, StringComparison.Ordinal); // its state is there...
        Assert.DoesNotContain(refreshToken, before, StringComparison.Ordinal); // ...sealed
        Assert.DoesNotContain(accessToken, before, StringComparison.Ordinal);
        Assert.DoesNotContain(refreshToken, host.Logs.All, StringComparison.Ordinal);
        Assert.DoesNotContain(accessToken, host.Logs.All, StringComparison.Ordinal);
        var revocations = Google.GetStats().Revocations;

        Assert.Equal(HttpStatusCode.NoContent, (await kit.Api.DeleteAsync("/v1/connections/at-rest-1", _ct)).StatusCode);

        Assert.Equal(revocations + 1, Google.GetStats().Revocations);
        var after = await redis.DumpAsync(serviceId);
        Assert.DoesNotContain("connection/at-rest-1", after, StringComparison.Ordinal);
        var stateKeys = after.Split('\n').Where(line => line.StartsWith(serviceId + "/state/", StringComparison.Ordinal) && line.Contains("at-rest-1", StringComparison.Ordinal));
        Assert.Empty(stateKeys);
        Assert.DoesNotContain(refreshToken, host.Logs.All, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ARefreshedToken_SurvivesARestart_WithoutAnotherRefresh()
    {
        var settings = Settings();
        string id;
        string token;
        string apiKey;
        await using (var first = await StartAsync(settings))
        {
            using var kit = await ConnectionKit.CreateAsync(first, Google);
            apiKey = kit.Tenant.ApiKey;
            id = await kit.ConnectAsync("restart", "restart@example.com");
            token = (await kit.TokenOkAsync(id)).AccessToken;
        }

        var refreshes = Google.GetStats().RefreshGrants;
        await using var second = await StartAsync(settings);
        using var client = Client(second, apiKey);

        var response = await client.PostAsJsonAsync($"/v1/connections/{id}/token", new { }, _ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(token, (await response.Content.ReadFromJsonAsync<AccessTokenResponse>(_ct))!.AccessToken);
        Assert.Equal(refreshes, Google.GetStats().RefreshGrants);
    }

    private Dictionary<string, string?> Settings()
    {
        var settings = ServiceHost.InRedisMode(redis);
        settings["Google:AuthorizationEndpoint"] = new Uri(_emulator, "/google/o/oauth2/v2/auth").AbsoluteUri;
        settings["Google:TokenEndpoint"] = new Uri(_emulator, "/google/token").AbsoluteUri;
        settings["Google:RevocationEndpoint"] = new Uri(_emulator, "/google/revoke").AbsoluteUri;
        settings["Google:UserInfoEndpoint"] = new Uri(_emulator, "/google/v1/userinfo").AbsoluteUri;
        return settings;
    }

    private Task<ServiceHost> StartAsync(Dictionary<string, string?> settings) =>
        ServiceHost.StartAsync(settings, builder => builder.Services.AddKeyedSingleton<TimeProvider>(ServiceTime.Key, _clock));

    private static HttpClient Client(ServiceHost host, string apiKey)
    {
        var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 1000 }) { BaseAddress = host.BaseUrl };
        client.DefaultRequestHeaders.Authorization = new("Bearer", apiKey);
        return client;
    }
}
