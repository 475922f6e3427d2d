namespace CalendarGrains.Sandbox.Google.Calendar;

/// <summary>
/// Every account's calendar, keyed by the account's (normalized) email. A calendar comes into being at
/// its first write; reading one that was never written reads an empty calendar in UTC.
/// </summary>
internal sealed class CalendarStore
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, AccountCalendar> _calendars = new(StringComparer.Ordinal);

    public AccountCalendar Read(string email)
    {
        lock (_gate)
        {
            return _calendars.GetValueOrDefault(email) ?? new AccountCalendar(email);
        }
    }

    /// <summary>The account's calendar, created when missing; null when the emulator holds as many as it may.</summary>
    public AccountCalendar? Write(string email)
    {
        lock (_gate)
        {
            if (_calendars.TryGetValue(email, out var calendar))
            {
                return calendar;
            }

            if (_calendars.Count >= GoogleCalendarEmulator.MaxCalendars)
            {
                return null;
            }

            calendar = new AccountCalendar(email);
            _calendars.Add(email, calendar);
            return calendar;
        }
    }

    public (int Calendars, int Events) Count()
    {
        AccountCalendar[] calendars;
        lock (_gate)
        {
            calendars = [.. _calendars.Values];
        }

        return (calendars.Length, calendars.Sum(c => c.Count));
    }

    public void Clear()
    {
        lock (_gate)
        {
            _calendars.Clear();
        }
    }
}
