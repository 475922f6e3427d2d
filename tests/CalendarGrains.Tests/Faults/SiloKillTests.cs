using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CalendarGrains.Calls;
using CalendarGrains.Sandbox;
using CalendarGrains.Sandbox.Vapi;
using CalendarGrains.Silo.Calls;
using CalendarGrains.Silo.Http;
using CalendarGrains.Silo.Operations;
using CalendarGrains.Silo.Vapi;
using CalendarGrains.Tests.Calls;
using CalendarGrains.Tests.Cluster;
using CalendarGrains.Tests.Infrastructure;
using CalendarGrains.Tests.Webhooks;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace CalendarGrains.Tests.Faults;

/// <summary>
/// Two silo processes on Redis, each talking to Redis through a <see cref="RedisTripwire"/>. The
/// silo whose grain is about to write the list index after storing a change is killed with
/// SIGKILL right there: the change is in Redis, the index entry and the webhook are not. The
/// surviving silo must finish the job: the connection or call is readable and listed, and each
/// stored status change reaches the tenant exactly once (by <c>webhook-id</c>).
/// </summary>
public sealed class SiloKillTests(RedisServer redis) : IAsyncLifetime
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;
    private WebApplication _emulators = null!;
    private Uri _emulatorUrl = null!;

    private VapiEmulator Vapi => _emulators.Services.GetRequiredService<VapiEmulator>();

    public async ValueTask InitializeAsync() => (_emulators, _emulatorUrl) = await EmulatorHost.StartOnFreePortAsync(_ct);

    public async ValueTask DisposeAsync() => await _emulators.DisposeAsync();

    [Fact]
    public async Task KilledAfterStoringAnImportBeforeItsIndexWrite_TheConnectionIsListedAndAnnouncedOnce_WithoutARetry()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var cluster = await TwoSilos.StartAsync(redis, Settings());
        var tenant = await CreateTenantAsync(cluster.Silos[0], receiver);
        using var api = Client(cluster.Silos[0].BaseUrl, tenant.ApiKey);
        var id = "killed-" + Guid.NewGuid().ToString("N")[..12];

        cluster.ArmAll($"/index/connections/{tenant.Id}");
        var import = SendAsync(() => api.PostAsJsonAsync("/v1/connections?validate=false", new { id, endUserId = "user-" + id, refreshToken = "1//" + id }, _ct));
        var survivor = await cluster.KillTheTrippedSiloAsync();
        var answer = await import;
        Assert.False(answer?.IsSuccessStatusCode ?? false, $"the import was acknowledged ({answer?.StatusCode}) though its silo died before the index write");

        // Nobody retries: the grain's reminder brings it back on the survivor, which lists and announces it.
        using var read = Client(survivor.BaseUrl, tenant.ApiKey);
        await Eventually.HoldsAsync(async () => (await ListedAsync(read, "/v1/connections?status=active")).Contains(id), TimeSpan.FromSeconds(60), $"{id} is listed");
        var connection = await read.GetFromJsonAsync<JsonElement>($"/v1/connections/{id}", _ct);
        Assert.Equal("active", connection.GetProperty("status").GetString());
        var announced = await WebhookLedger.WaitForAsync(receiver, id, 1, TimeSpan.FromSeconds(60));
        Assert.Equal(["connection.created"], announced.Select(a => a.Type));
    }

    [Fact]
    public async Task KilledAfterStoringACallBeforeItsIndexWrite_TheRetryIsListed_TheCallRunsItsCourse_AndEachChangeIsAnnouncedOnce()
    {
        Vapi.Use(EmulatorSettings.Fast);
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var cluster = await TwoSilos.StartAsync(redis, Settings());
        var tenant = await CreateTenantAsync(cluster.Silos[0], receiver);
        using var api = Client(cluster.Silos[0].BaseUrl, tenant.ApiKey);
        var imported = await api.PostAsJsonAsync("/v1/connections?validate=false", new { endUserId = "caller", refreshToken = "1//caller" }, _ct);
        Assert.Equal(HttpStatusCode.Created, imported.StatusCode);
        var connectionId = (await imported.Content.ReadFromJsonAsync<JsonElement>(_ct)).GetProperty("id").GetString()!;
        var key = Guid.NewGuid().ToString("N");
        HttpRequestMessage Place() => new(HttpMethod.Post, "/v1/calls")
        {
            Content = JsonContent.Create(new { connectionId, customer = new { number = "+15550100" } }),
            Headers = { { "Idempotency-Key", key } },
        };

        cluster.ArmAll($"/index/calls/{tenant.Id}");
        var place = SendAsync(() => api.SendAsync(Place(), _ct));
        var survivor = await cluster.KillTheTrippedSiloAsync();
        var answer = await place;
        Assert.False(answer?.IsSuccessStatusCode ?? false, $"the call was acknowledged ({answer?.StatusCode}) though its silo died before the index write");

        // The caller retries with the same key until it is acknowledged: the same call, listed.
        using var retry = Client(survivor.BaseUrl, tenant.ApiKey);
        var accepted = await Eventually.HoldsAsync(() => SendAsync(() => retry.SendAsync(Place(), _ct)), r => r?.IsSuccessStatusCode ?? false, TimeSpan.FromSeconds(60), "the retry is acknowledged");
        var callId = (await accepted!.Content.ReadFromJsonAsync<CallResource>(Json, _ct))!.Id;
        Assert.Contains(callId, await ListedAsync(retry, "/v1/calls"));

        var ended = await Eventually.HoldsAsync(
            async () => (await retry.GetFromJsonAsync<CallResource>($"/v1/calls/{callId}", Json, _ct))!,
            call => call.Status == CallStatus.Ended,
            TimeSpan.FromSeconds(60),
            $"{callId} ends");
        // The index follows the stored status a moment after a read can see it: waited on, briefly.
        await Eventually.HoldsAsync(async () => (await ListedAsync(retry, "/v1/calls?status=ended")).Contains(callId), TimeSpan.FromSeconds(10), $"{callId} listed as ended");
        Assert.Single(Vapi.CreatedCalls(), call => CallScenario.OurCallId(call) == callId);

        var changes = ended.StatusHistory.Skip(1).Select(change => CallStatuses.WireName(change.Status)).ToList();
        var announced = await WebhookLedger.WaitForAsync(receiver, callId, changes.Count + 1, TimeSpan.FromSeconds(60));
        Assert.Equal(
            changes.Order(StringComparer.Ordinal),
            announced.Where(a => a.Type == "call.status_changed").Select(a => a.Status!).Order(StringComparer.Ordinal));
        Assert.Single(announced, a => a.Type == "call.ended");
    }

    private Dictionary<string, string?> Settings()
    {
        var settings = ServiceHost.InRedisMode(redis);
        foreach (var (key, value) in CallsHostFixture.FastCalls())
        {
            settings[key] = value;
        }

        EmulatedProviders.PointAt(settings, _emulatorUrl);
        settings["Orleans:ReminderOptions:MinimumReminderPeriod"] = "00:00:01";
        settings["Webhooks:ReminderPeriod"] = "00:00:01";
        // A dead silo is declared dead in seconds, so its reminders move to the survivor soon. Not
        // quicker than 3 s: a joining silo probes the live one with this timeout before it turns
        // ready, and on a loaded 2-core machine a process stalls for 2 s at times (GC, thread pool);
        // with 1 s the second silo once never passed its join check in 60 s (10-run loop, run 6).
        settings["Orleans:Membership:ProbeTimeout"] = "00:00:03";
        settings["Orleans:Membership:NumMissedProbesLimit"] = "2";
        settings["Orleans:Membership:TableRefreshTimeout"] = "00:00:02";
        settings["Orleans:Messaging:ResponseTimeout"] = "00:00:10";
        settings["Grains:OperationBudget"] = "00:00:08";
        settings["Calls:ReadTimeout"] = "00:00:08";
        settings["Logging:LogLevel:Default"] = "Warning";
        return settings;
    }

    private async Task<(string Id, string ApiKey)> CreateTenantAsync(SiloProcess silo, WebhookReceiver receiver)
    {
        var vapiKey = "vapi-kill-" + Guid.NewGuid().ToString("N");
        var created = await silo.Http.PostAsJsonAsync("/v1/tenants", new
        {
            name = "Killed",
            google = new { clientId = "killed.apps.googleusercontent.com", clientSecret = "killed-secret" },
            vapi = new { apiKey = vapiKey, concurrencyLimit = 5, assistantId = "asst-kill", phoneNumberId = "phone-kill" },
            webhookUrl = receiver.Url(),
        }, _ct);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var tenant = await created.Content.ReadFromJsonAsync<JsonElement>(_ct);
        var id = tenant.GetProperty("id").GetString()!;
        // Vapi's messages go to the first silo; if it is the one killed, the call grain polls instead.
        Vapi.RegisterAccount(vapiKey, 5, new Uri(silo.BaseUrl, VapiEventsApi.PathFor(id)), tenant.GetProperty("vapiServerSecret").GetString());
        return (id, tenant.GetProperty("apiKey").GetString()!);
    }

    /// <summary>The answer, or null when the connection broke (the silo that held it was killed).</summary>
    private static async Task<HttpResponseMessage?> SendAsync(Func<Task<HttpResponseMessage>> send)
    {
        try
        {
            return await send();
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return null;
        }
    }

    private async Task<IReadOnlyList<string>> ListedAsync(HttpClient client, string path)
    {
        var page = await client.GetFromJsonAsync<JsonElement>(path, _ct);
        return [.. page.GetProperty("data").EnumerateArray().Select(item => item.GetProperty("id").GetString()!)];
    }

    private static HttpClient Client(Uri baseUrl, string apiKey)
    {
        var client = new HttpClient { BaseAddress = baseUrl, Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Authorization = new("Bearer", apiKey);
        return client;
    }

    /// <summary>Two silo processes, each behind its own tripwire to Redis.</summary>
    private sealed class TwoSilos : IAsyncDisposable
    {
        private readonly RedisTripwire[] _wires;
        private readonly SiloProcess?[] _silos;

        private TwoSilos(RedisTripwire[] wires, SiloProcess?[] silos) => (_wires, _silos) = (wires, silos);

        public IReadOnlyList<SiloProcess> Silos => [.. _silos.OfType<SiloProcess>()];

        public static async Task<TwoSilos> StartAsync(RedisServer redis, Dictionary<string, string?> settings)
        {
            var wires = new[] { RedisTripwire.Start(redis.ConnectionString), RedisTripwire.Start(redis.ConnectionString) };
            var silos = new SiloProcess?[2];
            var cluster = new TwoSilos(wires, silos);
            try
            {
                for (var i = 0; i < 2; i++)
                {
                    // Generous Redis timeouts: on a loaded 2-core machine the proxy's hop can be slow.
                    var own = new Dictionary<string, string?>(settings) { ["Redis:ConnectionString"] = wires[i].ConnectionString + ",asyncTimeout=15000,syncTimeout=15000" };
                    silos[i] = await SiloProcess.StartAsync(own, FreePort.Next(), FreePort.Next(), FreePort.Next());
                }

                await Eventually.HoldsAsync(
                    async () => (await silos[0]!.Http.GetFromJsonAsync<ClusterApi.ClusterView>("/v1/cluster"))!.Silos.Count(s => s.Status == "active") == 2,
                    TimeSpan.FromSeconds(60),
                    "two active silos");
                return cluster;
            }
            catch
            {
                await cluster.DisposeAsync();
                throw;
            }
        }

        public void ArmAll(string pattern)
        {
            foreach (var wire in _wires)
            {
                wire.Arm(pattern);
            }
        }

        /// <summary>Waits for a wire to trip, kills that silo (SIGKILL) and answers the survivor.</summary>
        public async Task<SiloProcess> KillTheTrippedSiloAsync()
        {
            await Task.WhenAny(_wires.Select(w => w.Tripped)).WaitAsync(TimeSpan.FromSeconds(30));
            var victim = _wires[0].HasTripped ? 0 : 1;
            _wires[1 - victim].Disarm(); // The survivor finishes the same write: it must go through.
            await _silos[victim]!.DisposeAsync();
            _silos[victim] = null;
            return _silos[1 - victim]!;
        }

        public async ValueTask DisposeAsync()
        {
            foreach (var silo in _silos.OfType<SiloProcess>())
            {
                await silo.DisposeAsync();
            }

            foreach (var wire in _wires)
            {
                await wire.DisposeAsync();
            }
        }
    }
}
