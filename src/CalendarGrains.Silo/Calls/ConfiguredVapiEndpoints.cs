using CalendarGrains.Silo.Hosting;
using CalendarGrains.Vapi;
using Microsoft.Extensions.Options;

namespace CalendarGrains.Silo.Calls;

/// <summary>
/// <c>Vapi:BaseUrl</c> when set; otherwise Vapi itself, or in the sandbox the emulator this process
/// serves under <c>/sandbox/vapi</c> (over real HTTP, the same code path as production).
/// </summary>
public sealed class ConfiguredVapiEndpoints(IOptions<VapiOptions> options, ServiceMode mode, PublicUrls urls) : IVapiEndpoints
{
    public Uri BaseUrl => new(
        !string.IsNullOrWhiteSpace(options.Value.BaseUrl) ? options.Value.BaseUrl
        : mode.SandboxEnabled ? urls.For("/sandbox/vapi")
        : VapiOptions.DefaultBaseUrl);
}
