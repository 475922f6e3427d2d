using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CalendarGrains.Calls;
using CalendarGrains.Common;
using CalendarGrains.Connections;
using CalendarGrains.Sandbox;
using CalendarGrains.Sandbox.Vapi;
using CalendarGrains.Silo.Calls;
using CalendarGrains.Silo.Vapi;
using CalendarGrains.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace CalendarGrains.Tests.Calls;

/// <summary>
/// A scheduled call in Redis mode: its reminder survives the silo, and it starts at its time and
/// not before. The product clock is fake (the schedule is two minutes out); the reminder service
/// runs on real time at test scale and compares with the product clock on every tick. Vapi is a
/// standalone emulator that outlives both silos, as Vapi would.
/// </summary>
public sealed class ScheduledCallRestartTests(RedisServer redis)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;

    [Fact]
    public async Task ScheduledCall_StartsAfterItsTimeAndNotBefore_AcrossASiloRestart()
    {
        var (emulatorApp, emulatorUrl) = await EmulatorHost.StartOnFreePortAsync(_ct);
        await using var _ = emulatorApp;
        var vapi = emulatorApp.Services.GetRequiredService<VapiEmulator>();
        vapi.Configure(s => s with { Lifecycle = VapiLifecycleMode.Manual });
        var clock = new FakeTimeProvider(TimeProvider.System.GetUtcNow());
        var port = FreePort.Next();
        var settings = ServiceHost.InRedisMode(redis);
        foreach (var (key, value) in CallsHostFixture.FastCalls())
        {
            settings[key] = value;
        }

        settings["urls"] = $"http://127.0.0.1:{port}";
        settings["Vapi:BaseUrl"] = new Uri(emulatorUrl, "/vapi").ToString();
        void Configure(Microsoft.AspNetCore.Builder.WebApplicationBuilder builder)
        {
            CallsHostFixture.FastReminders(builder);
            builder.Services.AddKeyedSingleton<TimeProvider>(ServiceTime.Key, clock);
        }

        var apiKey = "vapi-restart-" + Guid.NewGuid().ToString("N");
        string callId, tenantKey;
        var start = clock.GetUtcNow();
        var scheduledAt = start.AddMinutes(2);
        await using (var first = await ServiceHost.StartAsync(settings, Configure))
        {
            var tenant = await TestTenants.CreateAsync(first, new
            {
                name = "Scheduler",
                google = new { clientId = "s.apps.googleusercontent.com", clientSecret = "s" },
                vapi = new { apiKey, concurrencyLimit = 2, assistantId = "asst", phoneNumberId = "phone" },
            });
            tenantKey = tenant.ApiKey;
            vapi.RegisterAccount(apiKey, 2, new Uri($"http://127.0.0.1:{port}{VapiEventsApi.PathFor(tenant.Id)}"), tenant.VapiServerSecret);
            using var client = first.Client(tenant.ApiKey);
            var imported = await client.PostAsJsonAsync("/v1/connections?validate=false", new { endUserId = "u1", refreshToken = "1//r" }, _ct);
            var connection = (await imported.Content.ReadFromJsonAsync<ConnectionResource>(Json, _ct))!;
            var placed = await client.PostAsJsonAsync("/v1/calls", new { connectionId = connection.Id, customer = new { number = "+15550100" }, scheduledAt }, _ct);
            Assert.Equal(HttpStatusCode.Accepted, placed.StatusCode);
            callId = (await placed.Content.ReadFromJsonAsync<CallResource>(Json, _ct))!.Id;

            // The reminder has looked at the clock at least once, and left the call alone.
            await Eventually.HoldsAsync(() => Task.FromResult(first.Logs.All.Contains($"Call {callId}: scheduled, not due", StringComparison.Ordinal)), because: "a schedule check before the restart");
            Assert.Empty(vapi.CreatedCalls());
        }

        await using var second = await ServiceHost.StartAsync(settings, Configure);
        using var tenantClient = second.Client(tenantKey);

        // A second before its time, on the restarted silo: checked again, still not dialled.
        clock.Advance(TimeSpan.FromMinutes(2) - TimeSpan.FromSeconds(1));
        await Eventually.HoldsAsync(
            () => Task.FromResult(second.Logs.All.Contains($"Call {callId}: scheduled, not due for 00:00:01", StringComparison.Ordinal)),
            because: "a schedule check after the restart, one second early");
        Assert.Empty(vapi.CreatedCalls());
        Assert.Equal(CallStatus.Pending, (await tenantClient.GetFromJsonAsync<CallResource>($"/v1/calls/{callId}", Json, _ct))!.Status);

        clock.Advance(TimeSpan.FromSeconds(1));

        var created = await Eventually.HoldsAsync(() => Task.FromResult(vapi.CreatedCalls()), calls => calls.Count > 0, because: "dialled once due");
        Assert.Equal(callId, CallScenario.OurCallId(Assert.Single(created)));
        var queued = await Eventually.HoldsAsync(
            async () => (await tenantClient.GetFromJsonAsync<CallResource>($"/v1/calls/{callId}", Json, _ct))!,
            call => call.Status == CallStatus.Queued,
            because: "queued at Vapi");
        Assert.True(queued.StatusHistory.Single(change => change.Status == CallStatus.Dispatching).At >= scheduledAt);
        Assert.Equal(scheduledAt, queued.ScheduledAt);
    }
}
