using CalendarGrains.Vapi;
using Microsoft.Extensions.Options;

namespace CalendarGrains.Silo.Vapi;

/// <summary>
/// <c>Vapi:BaseUrl</c> when set (e.g. the emulator, for a cluster tried offline); otherwise Vapi itself.
/// The sandbox host replaces this with its own, which falls back to its embedded emulator.
/// </summary>
public sealed class ConfiguredVapiEndpoints(IOptions<VapiOptions> options) : IVapiEndpoints
{
    public Uri BaseUrl => new(!string.IsNullOrWhiteSpace(options.Value.BaseUrl) ? options.Value.BaseUrl : VapiOptions.DefaultBaseUrl);
}
