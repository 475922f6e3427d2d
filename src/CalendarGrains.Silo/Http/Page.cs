using System.Buffers.Text;
using System.Text;

namespace CalendarGrains.Silo.Http;

/// <summary>One page of a list and the cursor of the next (null on the last page).</summary>
public sealed record Page<T>(IReadOnlyList<T> Data, string? NextCursor);

/// <summary>
/// Opaque cursors: the last id of the page, base64url-encoded so clients do not build them.
/// Ids are ordered, so "after this id" is a stable position even while items are added.
/// </summary>
public static class Cursor
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 200;

    public static string Encode(string lastId) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(lastId));

    public static bool TryDecode(string? cursor, out string? lastId)
    {
        lastId = null;
        if (string.IsNullOrEmpty(cursor))
        {
            return true;
        }

        try
        {
            lastId = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(cursor));
            return lastId.Length is > 0 and <= 200;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    /// <summary>The next cursor: there may be more only when the page came back full.</summary>
    public static string? Next(IReadOnlyList<string> ids, int limit) => ids.Count == limit ? Encode(ids[^1]) : null;
}
