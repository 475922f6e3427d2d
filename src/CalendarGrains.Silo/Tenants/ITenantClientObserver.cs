namespace CalendarGrains.Silo.Tenants;

/// <summary>
/// Told when the tenants API sets a tenant's Google OAuth client (a tenant created, or its client
/// secret changed). The production silo registers none; the sandbox host registers the client at
/// its emulated Google, so a tenant created through the API can connect there at once.
/// </summary>
public interface ITenantClientObserver
{
    Task GoogleClientSetAsync(string tenantId, string clientId, string clientSecret, CancellationToken cancellationToken);
}
