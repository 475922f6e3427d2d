using CalendarGrains.Connections;

namespace CalendarGrains.Silo.WebConsole.Data;

/// <summary>One step of a connection's status history as the console shows it; <see cref="Reason"/> is a stable code, never a secret.</summary>
public sealed record ConnectionStatusStep(ConnectionStatus Status, DateTimeOffset At, string? Reason = null);

/// <summary>
/// A connection's status history for its console page: the one the connection grain records
/// (<see cref="ConnectionView.StatusHistory"/>, its last 20 changes).
/// </summary>
/// <remarks>
/// Note: a connection stored before the grain kept a history has none; for it the steps its own
/// times show (created, and since when it needs reauth) stand in, and <see cref="IsRecorded"/> says so.
/// </remarks>
public static class ConnectionStatusHistory
{
    public static bool IsRecorded(ConnectionView view) => view.StatusHistory is { Count: > 0 };

    public static IReadOnlyList<ConnectionStatusStep> Of(ConnectionView view)
    {
        if (view.StatusHistory is { Count: > 0 } recorded)
        {
            return [.. recorded.Select(change => new ConnectionStatusStep(change.Status, change.At, change.Reason))];
        }

        var steps = new List<ConnectionStatusStep> { new(ConnectionStatus.Active, view.CreatedAt) };
        if (view.Status == ConnectionStatus.NeedsReauth)
        {
            steps.Add(new(ConnectionStatus.NeedsReauth, view.LastError?.At ?? view.UpdatedAt));
        }

        return steps;
    }
}
