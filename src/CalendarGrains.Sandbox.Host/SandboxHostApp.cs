using CalendarGrains.Silo.Hosting;

namespace CalendarGrains.Sandbox.Host;

/// <summary>
/// The one-command sandbox: the service of <see cref="CalendarGrainsApp"/> with <see cref="SandboxExtension"/>
/// (emulators, demo tenant, banner). Without <c>Redis:ConnectionString</c> one silo in memory.
/// </summary>
public static class SandboxHostApp
{
    /// <param name="args">Command-line arguments (standard .NET configuration).</param>
    /// <param name="configure">A last say over the builder, for tests (e.g. a fake clock).</param>
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null) =>
        CalendarGrainsApp.Build(args, new SandboxExtension(), configure);
}
