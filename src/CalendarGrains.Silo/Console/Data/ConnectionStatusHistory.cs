using CalendarGrains.Connections;

namespace CalendarGrains.Silo.WebConsole.Data;

/// <summary>One step of a connection's status history as the console shows it; <see cref="Reason"/> is a stable code, never a secret.</summary>
public sealed record ConnectionStatusStep(ConnectionStatus Status, DateTimeOffset At, string? Reason = null);

/// <summary>
/// A connection's status history for its console page: exactly the one the connection grain records
/// (<see cref="ConnectionView.StatusHistory"/>, its last 20 changes, oldest first), as the API shows it.
/// </summary>
/// <remarks>
/// Note: nothing is made up from the connection's other times. A connection stored before the
/// grain kept a history has none (the API's <c>statusHistory</c> is empty too); the page says so
/// rather than show steps that were never recorded.
/// </remarks>
public static class ConnectionStatusHistory
{
    public static bool IsRecorded(ConnectionView view) => view.StatusHistory is { Count: > 0 };

    public static IReadOnlyList<ConnectionStatusStep> Of(ConnectionView view) =>
        [.. (view.StatusHistory ?? []).Select(change => new ConnectionStatusStep(change.Status, change.At, change.Reason))];
}
