using CalendarGrains.Connections;

namespace CalendarGrains.Silo.Connections;

public static class ConnectionStatuses
{
    public static bool TryParse(string value, out ConnectionStatus status)
    {
        (var known, status) = value switch
        {
            "active" => (true, ConnectionStatus.Active),
            "needs_reauth" => (true, ConnectionStatus.NeedsReauth),
            "revoked" => (true, ConnectionStatus.Revoked),
            _ => (false, default),
        };
        return known;
    }
}
