namespace CalendarGrains.Silo.Hosting;

/// <summary>
/// What a host that embeds the service adds to it: the sandbox host (CalendarGrains.Sandbox.Host)
/// its emulators, demo tenant and banner. The production silo has none, and so runs only in Redis
/// mode: this project holds no emulator code.
/// </summary>
public interface IHostExtension
{
    /// <summary>Before anything reads the configuration, e.g. generated keys for a sandbox without them.</summary>
    void PrepareConfiguration(IConfigurationManager configuration, ServiceMode mode);

    /// <summary>After the service's own registrations, so a registration here replaces the service's.</summary>
    void AddServices(WebApplicationBuilder builder, ServiceMode mode);

    /// <summary>After the service's own endpoints.</summary>
    void MapEndpoints(WebApplication app, ServiceMode mode);
}
