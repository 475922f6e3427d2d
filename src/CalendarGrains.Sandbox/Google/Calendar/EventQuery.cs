using System.Buffers.Text;
using System.Globalization;
using System.Text;

namespace CalendarGrains.Sandbox.Google.Calendar;

internal enum EventOrder
{
    /// <summary>Google promises no order; the emulator uses insertion order.</summary>
    Unspecified,
    StartTime,
    Updated,
}

/// <summary>
/// events.list's filter. Google's bounds: an event is in when it ends after <see cref="TimeMin"/> and
/// starts before <see cref="TimeMax"/> (both exclusive).
/// </summary>
internal sealed record EventQuery(
    DateTimeOffset? TimeMin,
    DateTimeOffset? TimeMax,
    string? Text,
    EventOrder Order,
    bool ShowDeleted,
    int MaxResults,
    EventCursor? After)
{
    /// <summary><c>privateExtendedProperty=key=value</c> filters: an event must carry every one.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> PrivateFilters { get; init; } = [];

    /// <summary><c>sharedExtendedProperty=key=value</c> filters.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> SharedFilters { get; init; } = [];
}

internal sealed record EventPage(IReadOnlyList<StoredEvent> Items, EventCursor? Next);

/// <summary>
/// Where a page ended: the sort key of its last event. A cursor rather than an offset, so that events
/// inserted or deleted between pages neither repeat nor vanish from the pages still to come.
/// </summary>
internal readonly record struct EventCursor(EventOrder Order, long Key, long Sequence) : IComparable<EventCursor>
{
    public int CompareTo(EventCursor other) => (Key, Sequence).CompareTo((other.Key, other.Sequence));

    public string Encode() => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(
        string.Create(CultureInfo.InvariantCulture, $"v1:{(int)Order}:{Key}:{Sequence}")));

    public static bool TryDecode(string token, EventOrder order, out EventCursor cursor)
    {
        cursor = default;
        byte[] bytes;
        try
        {
            bytes = Base64Url.DecodeFromChars(token);
        }
        catch (FormatException)
        {
            return false;
        }

        var parts = Encoding.UTF8.GetString(bytes).Split(':');
        if (parts is not ["v1", var kind, var key, var sequence]
            || !int.TryParse(kind, NumberStyles.None, CultureInfo.InvariantCulture, out var parsedOrder)
            || parsedOrder != (int)order
            || !long.TryParse(key, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var parsedKey)
            || !long.TryParse(sequence, NumberStyles.None, CultureInfo.InvariantCulture, out var parsedSequence))
        {
            return false;
        }

        cursor = new EventCursor(order, parsedKey, parsedSequence);
        return true;
    }
}
