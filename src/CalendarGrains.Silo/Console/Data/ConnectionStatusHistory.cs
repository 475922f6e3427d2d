using CalendarGrains.Connections;

namespace CalendarGrains.Silo.WebConsole.Data;

/// <summary>One step of a connection's status history as the console shows it.</summary>
public sealed record ConnectionStatusStep(ConnectionStatus Status, DateTimeOffset At);

/// <summary>
/// A connection's status history for its console page.
/// </summary>
/// <remarks>
/// Note: a seam. The connection grain is about to keep a bounded status history on
/// <see cref="ConnectionView"/>; until then this tells the steps the view's own times show
/// (created, and since when it needs reauth), and <see cref="IsRecorded"/> says it is derived.
/// </remarks>
public static class ConnectionStatusHistory
{
    public static bool IsRecorded => false;

    public static IReadOnlyList<ConnectionStatusStep> Of(ConnectionView view)
    {
        var steps = new List<ConnectionStatusStep> { new(ConnectionStatus.Active, view.CreatedAt) };
        if (view.Status == ConnectionStatus.NeedsReauth)
        {
            steps.Add(new(ConnectionStatus.NeedsReauth, view.LastError?.At ?? view.UpdatedAt));
        }

        return steps;
    }
}
