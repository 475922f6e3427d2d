using CalendarGrains.Common;
using CalendarGrains.Indexing;
using CalendarGrains.Sandbox.Google;
using CalendarGrains.Sandbox.Vapi;
using CalendarGrains.Silo.Hosting;
using CalendarGrains.Silo.Vapi;
using CalendarGrains.Tenants;

namespace CalendarGrains.Sandbox.Host;

/// <summary>
/// Seeds the sandbox once the server listens: a demo OAuth client at the Google emulator, a demo
/// Vapi account at the Vapi emulator (its server URL is our events endpoint for the tenant, its
/// secret the tenant's vapiServerSecret, as a tenant would set up its own Vapi org), and a demo
/// tenant that uses both, with default assistant and phone number; then prints how to start.
/// </summary>
public sealed partial class SandboxSeeder(
    IGrainFactory grains,
    IOrderedIndex index,
    GoogleEmulator google,
    VapiEmulator vapi,
    PublicUrls urls,
    SandboxDefaults defaults,
    [FromKeyedServices(ServiceTime.Key)] TimeProvider time,
    ILogger<SandboxSeeder> logger) : IHostedLifecycleService
{
    public const string DemoClientId = "demo-client.apps.googleusercontent.com";
    public const string DemoAssistantId = "demo-assistant";
    public const string DemoPhoneNumberId = "demo-phone-number";

    public async Task StartedAsync(CancellationToken cancellationToken)
    {
        TenantCreated? demo = null;
        if (await index.CountAsync(TenantDefaults.IndexSet) == 0)
        {
            var clientSecret = SecretGenerator.RandomUrlSafe(24);
            var vapiKey = "vapi-demo-" + SecretGenerator.RandomUrlSafe(16);
            google.RegisterClient(DemoClientId, clientSecret);
            var tenantId = Ids.NewTenantId(time);
            demo = await grains.GetGrain<ITenantGrain>(tenantId).CreateAsync(new TenantDefinition(
                "Demo tenant",
                new GoogleClientInput(DemoClientId, clientSecret, ["https://www.googleapis.com/auth/calendar"]),
                new VapiSettingsInput(vapiKey, TenantDefaults.VapiConcurrencyLimit, DemoAssistantId, DemoPhoneNumberId),
                WebhookUrl: null,
                AllowedReturnUrls: [urls.For(SandboxReturnPage.Path)]));
            vapi.RegisterAccount(vapiKey, TenantDefaults.VapiConcurrencyLimit, new Uri(urls.For(VapiEventsApi.PathFor(tenantId))), demo.VapiServerSecret);
            LogSeeded(logger, demo.Tenant.Id);
        }

        SandboxBanner.Print(Console.Out, urls.BaseUrl, defaults, demo);
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(EventId = 51, EventName = "SandboxSeeded", Level = LogLevel.Information, Message = "Seeded the sandbox demo tenant {TenantId}")]
    private static partial void LogSeeded(ILogger logger, string tenantId);
}
