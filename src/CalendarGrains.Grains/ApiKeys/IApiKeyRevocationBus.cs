namespace CalendarGrains.ApiKeys;

/// <summary>
/// Tells every silo that a key was revoked, so their key caches drop it at once rather than
/// when the entry expires. Redis pub/sub in a cluster, in-process in the sandbox.
/// </summary>
public interface IApiKeyRevocationBus
{
    Task PublishAsync(string keyHash);

    /// <summary>Registers the handler that evicts a revoked key from this silo's cache.</summary>
    void Subscribe(Action<string> onRevoked);
}
