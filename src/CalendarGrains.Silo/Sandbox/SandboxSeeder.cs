using CalendarGrains.Common;
using CalendarGrains.Indexing;
using CalendarGrains.Sandbox.Google;
using CalendarGrains.Silo.Hosting;
using CalendarGrains.Tenants;

namespace CalendarGrains.Silo.Sandbox;

/// <summary>
/// Seeds the sandbox once the server listens: a demo OAuth client at the Google emulator and a
/// demo tenant that uses it, then prints how to start.
/// </summary>
public sealed partial class SandboxSeeder(
    IGrainFactory grains,
    IOrderedIndex index,
    GoogleEmulator google,
    PublicUrls urls,
    SandboxDefaults defaults,
    [FromKeyedServices(ServiceTime.Key)] TimeProvider time,
    ILogger<SandboxSeeder> logger) : IHostedLifecycleService
{
    public const string DemoClientId = "demo-client.apps.googleusercontent.com";

    public async Task StartedAsync(CancellationToken cancellationToken)
    {
        TenantCreated? demo = null;
        if (await index.CountAsync(TenantDefaults.IndexSet) == 0)
        {
            var clientSecret = SecretGenerator.RandomUrlSafe(24);
            google.RegisterClient(DemoClientId, clientSecret);
            demo = await grains.GetGrain<ITenantGrain>(Ids.NewTenantId(time)).CreateAsync(new TenantDefinition(
                "Demo tenant",
                new GoogleClientInput(DemoClientId, clientSecret, ["https://www.googleapis.com/auth/calendar"]),
                new VapiSettingsInput(null, TenantDefaults.VapiConcurrencyLimit, null, null),
                WebhookUrl: null,
                AllowedReturnUrls: [urls.For(SandboxReturnPage.Path)]));
            LogSeeded(logger, demo.Tenant.Id);
        }

        SandboxBanner.Print(Console.Out, urls.BaseUrl, defaults, demo);
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(EventId = 1, EventName = "SandboxSeeded", Level = LogLevel.Information, Message = "Seeded the sandbox demo tenant {TenantId}")]
    private static partial void LogSeeded(ILogger logger, string tenantId);
}
