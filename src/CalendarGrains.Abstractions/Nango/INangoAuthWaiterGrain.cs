namespace CalendarGrains.Nango;

/// <summary>
/// One per websocket of Nango's front-end SDK (keyed by the <c>ws_client_id</c> we gave it): carries
/// the outcome of the OAuth callback, which may land on any silo, to the silo holding the socket.
/// In memory only: a socket lives minutes, and a lost outcome costs the user a retry, never data.
/// </summary>
[Alias("cg.INangoAuthWaiterGrain")]
public interface INangoAuthWaiterGrain : IGrainWithStringKey
{
    /// <summary>Registers (or renews) the socket's observer; answers the outcome if it came first.</summary>
    Task<string?> SubscribeAsync(INangoAuthObserver observer);

    /// <summary>Hands the outcome (Nango's websocket message, JSON) to the observer, or keeps it until one subscribes.</summary>
    Task PublishAsync(string message);

    Task UnsubscribeAsync();
}

/// <summary>The silo-side end of one Nango websocket.</summary>
[Alias("cg.INangoAuthObserver")]
public interface INangoAuthObserver : IGrainObserver
{
    [OneWay]
    Task OnOutcomeAsync(string message);
}
