namespace CalendarGrains.Sandbox.Google.Calendar;

internal enum CalendarOperation
{
    FreeBusy,
    Insert,
    List,
    Get,
    Delete,
    Patch,
    Update,
    GetCalendar,
}

/// <summary>Request counters, safe to bump from any request thread.</summary>
internal sealed class CalendarCounters
{
    private readonly long[] _byOperation = new long[Enum.GetValues<CalendarOperation>().Length];
    private long _injectedFailures;

    public void Request(CalendarOperation operation) => Interlocked.Increment(ref _byOperation[(int)operation]);

    public void InjectedFailure() => Interlocked.Increment(ref _injectedFailures);

    public GoogleCalendarStats Snapshot(int calendars, int events, int pendingFailures, TimeSpan latency)
    {
        long Count(CalendarOperation operation) => Interlocked.Read(ref _byOperation[(int)operation]);
        return new GoogleCalendarStats(
            Enum.GetValues<CalendarOperation>().Sum(Count),
            Count(CalendarOperation.FreeBusy),
            Count(CalendarOperation.Insert),
            Count(CalendarOperation.List),
            Count(CalendarOperation.Get),
            Count(CalendarOperation.Delete),
            Count(CalendarOperation.Patch),
            Count(CalendarOperation.Update),
            Count(CalendarOperation.GetCalendar),
            Interlocked.Read(ref _injectedFailures),
            calendars,
            events,
            pendingFailures,
            latency.TotalMilliseconds);
    }

    public void Clear()
    {
        for (var i = 0; i < _byOperation.Length; i++)
        {
            Interlocked.Exchange(ref _byOperation[i], 0);
        }

        Interlocked.Exchange(ref _injectedFailures, 0);
    }
}
