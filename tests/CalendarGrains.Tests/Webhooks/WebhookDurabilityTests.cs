using CalendarGrains.Tests.Infrastructure;
using CalendarGrains.Webhooks;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Hosting;

namespace CalendarGrains.Tests.Webhooks;

/// <summary>With real Redis and real time: pending webhooks survive a restart of the service.</summary>
public sealed class WebhookDurabilityTests(RedisServer redis)
{
    [Fact]
    public async Task PendingEvents_SurviveARestart_AndTheReminderDeliversThemWithoutAnyCall()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.FailAll(503);
        var settings = ServiceHost.InRedisMode(redis);
        settings["Webhooks:RetryDelays:0"] = "00:00:00.2";
        settings["Webhooks:RetryDelays:1"] = "00:00:00.5";
        settings["Webhooks:ReminderPeriod"] = "00:00:01";
        // Note: reminders under a minute are for tests only; Orleans must be told to accept them.
        static void FastReminders(Microsoft.AspNetCore.Builder.WebApplicationBuilder builder) =>
            builder.Services.Configure<ReminderOptions>(options => options.MinimumReminderPeriod = TimeSpan.FromSeconds(1));
        var webhookEvent = new WebhookEvent("evt_" + Guid.NewGuid().ToString("N"), WebhookEventTypes.ConnectionDeleted, DateTimeOffset.UnixEpoch, "{\"connectionId\":\"conn_9\"}");
        string tenantId;

        await using (var before = await ServiceHost.StartAsync(settings, FastReminders))
        {
            tenantId = (await TestTenants.CreateAsync(before, TestTenants.Definition(webhookUrl: receiver.Url()))).Id;
            await before.Grains.GetGrain<IWebhookOutboxGrain>(tenantId).EnqueueAsync(webhookEvent);
            await Eventually.HoldsAsync(() => Task.FromResult(receiver.Received.Count >= 2), TimeSpan.FromSeconds(20), "the endpoint refuses it, and a retry too");

            // Stop while an attempt hangs: shutdown cuts it short instead of waiting out its 10 s,
            // and it is not counted as a failure.
            receiver.Hold();
            await Eventually.HoldsAsync(() => Task.FromResult(receiver.InFlight == 1), TimeSpan.FromSeconds(20), "an attempt hangs at the endpoint");
            var stopping = System.Diagnostics.Stopwatch.StartNew();
            await before.App.StopAsync(TestContext.Current.CancellationToken);
            Assert.True(stopping.Elapsed < TimeSpan.FromSeconds(8), $"stopping took {stopping.Elapsed} with an attempt in flight");
        }

        // The endpoint recovers while the service is down; the new process is never called about it.
        receiver.SucceedFromNowOn();
        receiver.Release();
        await using var after = await ServiceHost.StartAsync(settings, FastReminders);

        var delivered = await Eventually.HoldsAsync(() => Task.FromResult(receiver.Delivered), d => d.Count > 0, TimeSpan.FromSeconds(30), "the event arrives after the restart");
        Assert.Equal(webhookEvent.Id, Assert.Single(delivered).Id);
        var status = await after.Grains.GetGrain<IWebhookOutboxGrain>(tenantId).GetStatusAsync();
        Assert.Equal(0, status.Pending);
        Assert.Equal(1, status.Delivered);
        Assert.Equal("http_503", status.LastError);
    }
}
