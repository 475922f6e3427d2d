using CalendarGrains.Common;

namespace CalendarGrains.Silo.Nango;

/// <summary>
/// Nango's connect session token (<c>nango_connect_session_…</c>) is our connect session's id behind
/// Nango's prefix: as unguessable as the id, and readable without a lookup table.
/// </summary>
public static class NangoSessionTokens
{
    public const string Prefix = "nango_connect_session_";

    public static string For(string sessionId) => Prefix + sessionId;

    public static bool TryRead(string? token, out string sessionId)
    {
        sessionId = token is not null && token.StartsWith(Prefix, StringComparison.Ordinal) ? token[Prefix.Length..] : "";
        return sessionId.StartsWith(Ids.ConnectSessionPrefix, StringComparison.Ordinal) && sessionId.Length < 100;
    }
}
