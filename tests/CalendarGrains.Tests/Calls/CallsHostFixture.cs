using CalendarGrains.Sandbox.Google;
using CalendarGrains.Sandbox.Vapi;
using CalendarGrains.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Hosting;

namespace CalendarGrains.Tests.Calls;

/// <summary>
/// One sandbox-mode service for the call tests, with the dispatcher's waits shortened to test
/// scale (and the reminder service's minimum period lowered to match), and its in-process emulators.
/// </summary>
public sealed class CallsHostFixture : IAsyncLifetime
{
    public ServiceHost Host { get; private set; } = null!;

    public VapiEmulator Vapi => Host.Services.GetRequiredService<VapiEmulator>();

    public GoogleEmulator Google => Host.Services.GetRequiredService<GoogleEmulator>();

    /// <summary>The <c>Calls:*</c> settings of every call test: seconds where production waits minutes.</summary>
    public static Dictionary<string, string?> FastCalls() => new()
    {
        ["Calls:DispatchTimeout"] = "00:00:05",
        ["Calls:ReconcileDelay"] = "00:00:00.200",
        ["Calls:VisibilityGrace"] = "00:00:03",
        ["Calls:WatchInterval"] = "00:00:01",
        ["Calls:ScheduleCheckInterval"] = "00:00:01",
        ["Calls:PollAfterSilence"] = "00:00:01",
        ["Calls:EndOfCallReportWait"] = "00:00:01",
        ["Calls:RefusalBackoff"] = "00:00:00.200",
        ["Calls:MaxRefusalBackoff"] = "00:00:01",
    };

    /// <summary>Reminders at test scale: the watch reminders tick every second.</summary>
    public static void FastReminders(WebApplicationBuilder builder) =>
        builder.Services.Configure<ReminderOptions>(options => options.MinimumReminderPeriod = TimeSpan.FromSeconds(1));

    public async ValueTask InitializeAsync() => Host = await ServiceHost.StartAsync(FastCalls(), FastReminders);

    public async ValueTask DisposeAsync() => await Host.DisposeAsync();
}
