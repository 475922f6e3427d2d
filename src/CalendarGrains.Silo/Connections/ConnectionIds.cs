namespace CalendarGrains.Silo.Connections;

/// <summary>
/// Connection ids are ours (<c>conn_</c> + ULID) or kept from an import (Nango ids are free-form),
/// so the check is loose: printable, no slash or space, at most 256 characters.
/// </summary>
public static class ConnectionIds
{
    public const int MaxLength = 256;

    public static bool IsPlausible(string? id) =>
        !string.IsNullOrEmpty(id) && id.Length <= MaxLength && id.All(c => c > ' ' && c != '/' && c != '\\' && c != 0x7f);
}
