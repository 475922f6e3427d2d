namespace CalendarGrains.Sandbox.Google.Calendar;

/// <summary>An event in a calendar. <see cref="Order"/> is its place in insertion order (Google's default order).</summary>
internal sealed record StoredEvent(
    long Order,
    string Id,
    CalendarEventSeed Content,
    string Status,
    string? SendUpdates,
    DateTimeOffset Created,
    DateTimeOffset Updated,
    int Sequence = 0)
{
    public const string Confirmed = "confirmed";
    public const string Cancelled = "cancelled";

    public bool IsCancelled => Status == Cancelled;

    /// <summary>Blocks time in free/busy: neither cancelled nor transparent.</summary>
    public bool IsBusy => !IsCancelled && !Content.Transparent;

    public EmulatedCalendarEvent ToSnapshot(string calendarId) => new(
        Id,
        calendarId,
        Status,
        Content.Summary,
        Content.Description,
        Content.Location,
        Content.Start,
        Content.End,
        Content.Transparent,
        Content.Attendees,
        SendUpdates,
        Created,
        Updated)
    {
        PrivateProperties = Content.PrivateProperties,
        Sequence = Sequence,
    };
}
