using System.Net;
using System.Net.Http.Json;
using CalendarGrains.Sandbox;
using CalendarGrains.Sandbox.Google;
using CalendarGrains.Tests.Connections;
using CalendarGrains.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;

namespace CalendarGrains.Tests.Nango;

/// <summary>Nango writes <c>last_fetched_at</c> on every read; on Redis, our Nango reads leave storage as it was.</summary>
public sealed class NangoReadsTests(RedisServer redis) : IAsyncLifetime
{
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;
    private WebApplication _emulatorApp = null!;
    private Uri _emulator = null!;

    private GoogleEmulator Google => _emulatorApp.Services.GetRequiredService<GoogleEmulator>();

    public async ValueTask InitializeAsync() => (_emulatorApp, _emulator) = await EmulatorHost.StartOnFreePortAsync(_ct);

    public async ValueTask DisposeAsync() => await _emulatorApp.DisposeAsync();

    [Fact]
    public async Task NangoReads_OfAConnectionWithAValidToken_LeaveEveryStoredStateAsItWas()
    {
        var settings = ServiceHost.InRedisMode(redis);
        settings["Google:TokenEndpoint"] = new Uri(_emulator, "/google/token").AbsoluteUri;
        settings["Google:RevocationEndpoint"] = new Uri(_emulator, "/google/revoke").AbsoluteUri;
        settings["Google:UserInfoEndpoint"] = new Uri(_emulator, "/google/v1/userinfo").AbsoluteUri;
        await using var host = await ServiceHost.StartAsync(settings);
        using var kit = await ConnectionKit.CreateAsync(host, Google);
        var refreshToken = await kit.MintRefreshTokenAsync("reads@example.com", new Uri(_emulator, "/google/"));
        await NangoRoutesTests.ImportAsync(kit, "reads-1", "reads-user", refreshToken, new { plan = "pro" });
        await kit.TokenOkAsync("reads-1");
        var serviceId = settings["Orleans:ServiceId"]!;
        var before = await StoredStateAsync(serviceId);
        Assert.Contains(before.Keys, key => key.Contains("reads-1", StringComparison.Ordinal));

        foreach (var path in (string[])[
            "/connections/reads-1?provider_config_key=google-calendar",
            "/connection/reads-1?provider_config_key=google-calendar&refresh_token=true",
            "/connections", "/connections?connectionId=reads-1", "/connections?endUserId=reads-user",
            "/connections/unknown-1?provider_config_key=google-calendar"])
        {
            var response = await kit.Api.GetAsync(path, _ct);
            Assert.True(response.StatusCode is HttpStatusCode.OK or HttpStatusCode.NotFound, $"{path}: {response.StatusCode}");
        }

        Assert.Equal(before, await StoredStateAsync(serviceId));

        // The snapshot does see a write: setting metadata changes the connection's stored state.
        var set = await kit.Api.PostAsJsonAsync("/connections/metadata", new { connection_id = "reads-1", provider_config_key = "google-calendar", metadata = new { plan = "team" } }, _ct);
        Assert.Equal(HttpStatusCode.Created, set.StatusCode);
        Assert.NotEqual(before, await StoredStateAsync(serviceId));
    }

    /// <summary>Every grain state hash (etag and data) and index set of the service, by key.</summary>
    private async Task<Dictionary<string, string>> StoredStateAsync(string serviceId)
    {
        var server = redis.Connection.GetServer(redis.Connection.GetEndPoints()[0]);
        var database = redis.Connection.GetDatabase();
        var state = new Dictionary<string, string>(StringComparer.Ordinal);
        await foreach (var key in server.KeysAsync(pattern: serviceId + "/*"))
        {
            var type = await database.KeyTypeAsync(key);
            if (type == RedisType.Hash && key.ToString().StartsWith(serviceId + "/state/", StringComparison.Ordinal))
            {
                state[key.ToString()] = string.Join(";", (await database.HashGetAllAsync(key)).Select(e => $"{e.Name}={e.Value}"));
            }
            else if (type == RedisType.SortedSet)
            {
                state[key.ToString()] = string.Join(";", await database.SortedSetRangeByRankAsync(key));
            }
        }

        return state;
    }
}
