using CalendarGrains.Sandbox.Google;
using CalendarGrains.Silo.Tenants;

namespace CalendarGrains.Sandbox.Host;

/// <summary>
/// In the sandbox, a tenant created through the API (e.g. the README's "Acme") gets its Google
/// client registered at the emulated Google, which otherwise answers <c>invalid_client</c>: the
/// real Google knows a client because its owner created it in the Cloud console; here, this is that
/// step. A client the emulator knows already is left as it is: as at the real Google, changing our
/// copy of its secret does not change Google's (so a wrong secret fails here as it would there).
/// </summary>
public sealed partial class SandboxTenantClients(GoogleEmulator google, ILogger<SandboxTenantClients> logger) : ITenantClientObserver
{
    public Task GoogleClientSetAsync(string tenantId, string clientId, string clientSecret, CancellationToken cancellationToken)
    {
        if (!google.KnowsClient(clientId))
        {
            google.RegisterClient(clientId, clientSecret);
            LogRegistered(logger, clientId, tenantId);
        }

        return Task.CompletedTask;
    }

    [LoggerMessage(EventId = 52, EventName = "SandboxClientRegistered", Level = LogLevel.Information, Message = "Registered Google client {ClientId} of tenant {TenantId} at the emulated Google")]
    private static partial void LogRegistered(ILogger logger, string clientId, string tenantId);
}
