using CalendarGrains.ApiKeys;

namespace CalendarGrains.Silo.Auth;

/// <summary>The sandbox's bus: one silo, so telling this process is telling the cluster.</summary>
public sealed class InProcessApiKeyRevocationBus : IApiKeyRevocationBus
{
    private readonly List<Action<string>> _handlers = [];

    public Task PublishAsync(string keyHash)
    {
        Action<string>[] handlers;
        lock (_handlers)
        {
            handlers = [.. _handlers];
        }

        foreach (var handler in handlers)
        {
            handler(keyHash);
        }

        return Task.CompletedTask;
    }

    public void Subscribe(Action<string> onRevoked)
    {
        lock (_handlers)
        {
            _handlers.Add(onRevoked);
        }
    }
}
