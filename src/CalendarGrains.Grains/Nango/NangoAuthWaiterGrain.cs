namespace CalendarGrains.Nango;

/// <inheritdoc cref="INangoAuthWaiterGrain"/>
/// <remarks>
/// Note: the socket's silo renews its subscription every minute, so a waiter lost with a silo is
/// rebuilt, and an idle one is collected a while after its socket is gone.
/// </remarks>
[CollectionAgeLimit(Minutes = 5)]
public sealed class NangoAuthWaiterGrain : Grain, INangoAuthWaiterGrain
{
    private INangoAuthObserver? _observer;
    private string? _outcome;

    public Task<string?> SubscribeAsync(INangoAuthObserver observer)
    {
        _observer = observer;
        return Task.FromResult(_outcome);
    }

    public Task PublishAsync(string message)
    {
        _outcome = message;
        _ = _observer?.OnOutcomeAsync(message);
        return Task.CompletedTask;
    }

    public Task UnsubscribeAsync()
    {
        _observer = null;
        DeactivateOnIdle();
        return Task.CompletedTask;
    }
}
