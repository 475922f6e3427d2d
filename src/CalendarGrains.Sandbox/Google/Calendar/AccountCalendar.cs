namespace CalendarGrains.Sandbox.Google.Calendar;

/// <summary>
/// One account's primary calendar. One lock guards it: requests for the same account are few, and a
/// single lock keeps the cap, the id check and the insert atomic.
/// </summary>
internal sealed class AccountCalendar(string email)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, StoredEvent> _events = new(StringComparer.Ordinal);
    private TimeZoneInfo _zone = CalendarTime.Utc;
    private long _sequence;

    /// <summary>The calendar's id, which is the account's email.</summary>
    public string Id { get; } = email;

    public TimeZoneInfo Zone
    {
        get
        {
            lock (_gate)
            {
                return _zone;
            }
        }

        set
        {
            lock (_gate)
            {
                _zone = value;
            }
        }
    }

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _events.Count;
            }
        }
    }

    public CalendarApiError? TryAdd(CalendarEventSeed seed, string? sendUpdates, DateTimeOffset now, out StoredEvent? stored)
    {
        stored = null;
        lock (_gate)
        {
            if (EventRules.Validate(seed, _zone) is { } invalid)
            {
                return invalid;
            }

            var id = seed.Id ?? NewEventId();
            if (_events.ContainsKey(id))
            {
                // Google keeps deleted events, so their ids stay taken too.
                return CalendarApiError.Duplicate;
            }

            if (_events.Count >= GoogleCalendarEmulator.MaxEventsPerCalendar)
            {
                return CalendarApiError.QuotaExceeded;
            }

            stored = new StoredEvent(++_sequence, id, seed with { Id = id, Status = null }, seed.Status ?? StoredEvent.Confirmed, sendUpdates, now, now);
            _events.Add(id, stored);
            return null;
        }
    }

    public StoredEvent? Find(string id)
    {
        lock (_gate)
        {
            return _events.GetValueOrDefault(id);
        }
    }

    /// <summary>Google marks a deleted event cancelled and keeps it; deleting it again is 410.</summary>
    public CalendarApiError? Cancel(string id, string? ifMatch, DateTimeOffset now)
    {
        lock (_gate)
        {
            if (!_events.TryGetValue(id, out var stored))
            {
                return CalendarApiError.NotFound;
            }

            if (stored.IsCancelled)
            {
                return CalendarApiError.Deleted;
            }

            if (!Matches(stored, ifMatch))
            {
                return CalendarApiError.ConditionNotMet;
            }

            _events[id] = stored with { Status = StoredEvent.Cancelled, Updated = Later(stored.Updated, now) };
            return null;
        }
    }

    /// <summary>
    /// events.update and events.patch: <paramref name="change"/> turns the stored event into its new content,
    /// which is checked as an insert is. Keeps the id, creation time and place; bumps <c>sequence</c> when the
    /// times move. A deleted event can be changed too (Google allows it); it stays cancelled unless the
    /// change sets another status.
    /// </summary>
    public CalendarApiError? TryChange(
        string id, string? ifMatch, Func<StoredEvent, (CalendarEventSeed? Seed, CalendarApiError? Error)> change, DateTimeOffset now, out StoredEvent? stored)
    {
        stored = null;
        lock (_gate)
        {
            if (!_events.TryGetValue(id, out var existing))
            {
                return CalendarApiError.NotFound;
            }

            if (!Matches(existing, ifMatch))
            {
                return CalendarApiError.ConditionNotMet;
            }

            var (seed, error) = change(existing);
            if (error is not null)
            {
                return error;
            }

            seed = seed! with { Id = id };
            if (EventRules.Validate(seed, _zone) is { } invalid)
            {
                return invalid;
            }

            var moved = seed.Start != existing.Content.Start || seed.End != existing.Content.End;
            stored = existing with
            {
                Content = seed with { Status = null },
                Status = seed.Status ?? existing.Status,
                Updated = Later(existing.Updated, now),
                Sequence = existing.Sequence + (moved ? 1 : 0),
            };
            _events[id] = stored;
            return null;
        }
    }

    /// <summary><c>If-Match</c>: absent or <c>*</c> always matches; otherwise it must be the current etag.</summary>
    private static bool Matches(StoredEvent stored, string? ifMatch) =>
        ifMatch is null or "*" || string.Equals(ifMatch.Trim(), EventRenderer.EtagOf(stored), StringComparison.Ordinal);

    /// <summary>Etags count microseconds: two changes in the same microsecond must still differ.</summary>
    private static DateTimeOffset Later(DateTimeOffset previous, DateTimeOffset now) =>
        now > previous.AddTicks(9) ? now : previous.AddTicks(10);

    public IReadOnlyList<StoredEvent> All()
    {
        lock (_gate)
        {
            return _events.Values.OrderBy(e => e.Order).ToArray();
        }
    }

    public EventPage List(EventQuery query)
    {
        lock (_gate)
        {
            var matching = _events.Values
                .Where(e => query.ShowDeleted || !e.IsCancelled)
                .Where(e => query.TimeMin is not { } min || e.Content.End.InstantIn(_zone) > min)
                .Where(e => query.TimeMax is not { } max || e.Content.Start.InstantIn(_zone) < max)
                .Where(e => query.Text is null || Mentions(e, query.Text))
                .Where(e => query.PrivateFilters.All(f => e.Content.PrivateProperties.TryGetValue(f.Key, out var v) && v == f.Value))
                .Where(e => query.SharedFilters.All(f => e.Content.SharedProperties.TryGetValue(f.Key, out var v) && v == f.Value))
                .Select(e => (Event: e, Cursor: CursorOf(e, query.Order)))
                .Where(x => query.After is not { } after || x.Cursor.CompareTo(after) > 0)
                .OrderBy(x => x.Cursor)
                .Take(query.MaxResults + 1)
                .ToList();
            var hasMore = matching.Count > query.MaxResults;
            var page = matching.Take(query.MaxResults).ToList();
            return new EventPage(page.Select(x => x.Event).ToArray(), hasMore ? page[^1].Cursor : null);
        }
    }

    /// <summary>Busy intervals within [from, to): clipped to the window, sorted, overlapping and touching ones merged.</summary>
    public IReadOnlyList<(DateTimeOffset Start, DateTimeOffset End)> Busy(DateTimeOffset from, DateTimeOffset to)
    {
        List<(DateTimeOffset Start, DateTimeOffset End)> intervals;
        lock (_gate)
        {
            intervals = _events.Values
                .Where(e => e.IsBusy)
                .Select(e => (Start: Max(e.Content.Start.InstantIn(_zone), from), End: Min(e.Content.End.InstantIn(_zone), to)))
                .Where(i => i.Start < i.End)
                .OrderBy(i => i.Start)
                .ToList();
        }

        var merged = new List<(DateTimeOffset Start, DateTimeOffset End)>();
        foreach (var interval in intervals)
        {
            if (merged.Count > 0 && interval.Start <= merged[^1].End)
            {
                merged[^1] = (merged[^1].Start, Max(merged[^1].End, interval.End));
            }
            else
            {
                merged.Add(interval);
            }
        }

        return merged;
    }

    private EventCursor CursorOf(StoredEvent e, EventOrder order) => new(
        order,
        order switch
        {
            EventOrder.StartTime => e.Content.Start.InstantIn(_zone).UtcTicks,
            EventOrder.Updated => e.Updated.UtcTicks,
            _ => 0,
        },
        e.Order);

    /// <summary>Google's <c>q</c> searches the text of an event: summary, description, location, guests.</summary>
    private static bool Mentions(StoredEvent e, string text)
    {
        bool In(string? field) => field?.Contains(text, StringComparison.OrdinalIgnoreCase) == true;
        var content = e.Content;
        return In(content.Summary) || In(content.Description) || In(content.Location)
            || content.Attendees.Any(a => In(a.Email) || In(a.DisplayName));
    }

    /// <summary>Google's generated ids are base32hex; 26 characters carry 130 random bits.</summary>
    private static string NewEventId()
    {
        const string alphabet = "0123456789abcdefghijklmnopqrstuv";
        return string.Create(26, 0, static (span, _) =>
        {
            for (var i = 0; i < span.Length; i++)
            {
                span[i] = alphabet[System.Security.Cryptography.RandomNumberGenerator.GetInt32(alphabet.Length)];
            }
        });
    }

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;
}
