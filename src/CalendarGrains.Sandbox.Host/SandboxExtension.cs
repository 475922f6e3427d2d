using CalendarGrains.Google;
using CalendarGrains.Silo.Auth;
using CalendarGrains.Silo.Hosting;
using CalendarGrains.Silo.Tenants;
using CalendarGrains.Vapi;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace CalendarGrains.Sandbox.Host;

/// <summary>
/// What the sandbox adds to the service: generated keys when none are configured (in memory only),
/// the emulators under <c>/sandbox</c>, the service's Google and Vapi clients pointed at them (over
/// real HTTP, the production code path), new tenants' Google clients registered there, the demo
/// tenant and the banner.
/// </summary>
public sealed class SandboxExtension : IHostExtension
{
    public const string Prefix = "/sandbox";

    private SandboxDefaults _defaults = new();

    public void PrepareConfiguration(IConfigurationManager configuration, ServiceMode mode)
    {
        if (!mode.UsesRedis)
        {
            // Note: only in memory; a cluster must be given its keys or it refuses to start.
            _defaults = SandboxDefaults.Apply(configuration);
        }
    }

    public void AddServices(WebApplicationBuilder builder, ServiceMode mode)
    {
        builder.Services.AddSingleton(_defaults);
        if (!mode.SandboxEnabled)
        {
            return;
        }

        builder.Services.AddEmulators();
        builder.Services.Replace(ServiceDescriptor.Singleton<IGoogleEndpoints, SandboxGoogleEndpoints>());
        builder.Services.Replace(ServiceDescriptor.Singleton<IVapiEndpoints, SandboxVapiEndpoints>());
        builder.Services.AddSingleton<ITenantClientObserver, SandboxTenantClients>();
        builder.Services.AddHostedService<SandboxSeeder>();
    }

    public void MapEndpoints(WebApplication app, ServiceMode mode)
    {
        if (!mode.SandboxEnabled)
        {
            return;
        }

        // The emulators' Bearer tokens are the emulated providers': not ours to authenticate.
        app.MapGroup(Prefix).WithMetadata(SkipApiKeyAuthentication.Instance).MapEmulators(prefix: "");
        app.MapSandboxReturnPage();
    }
}
