using System.Net.Http.Headers;

namespace CalendarGrains.Sandbox.Google.Calendar;

/// <summary>
/// Google Calendar API v3, emulated: each account's primary calendar in memory, reached with access
/// tokens that the <see cref="GoogleEmulator"/> issued, plus the knobs tests use to make it misbehave.
/// Thread-safe and bounded; one per host (a singleton).
/// </summary>
public sealed class GoogleCalendarEmulator
{
    /// <summary>Events one calendar may hold, cancelled ones included; beyond it inserts get 403 <c>quotaExceeded</c>.</summary>
    public const int MaxEventsPerCalendar = 10_000;

    /// <summary>Calendars the emulator keeps (one per account that was ever written to).</summary>
    public const int MaxCalendars = 10_000;

    private readonly GoogleEmulator _oauth;
    private readonly ArmedFaults _faults = new();
    private readonly CalendarCounters _counters = new();
    private long _latencyTicks;

    public GoogleCalendarEmulator(GoogleEmulator oauth, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(oauth);
        ArgumentNullException.ThrowIfNull(timeProvider);
        _oauth = oauth;
        Time = timeProvider;
    }

    /// <summary>Delay before every Calendar API answer (measured on the injected clock). Default zero.</summary>
    public TimeSpan Latency
    {
        get => TimeSpan.FromTicks(Interlocked.Read(ref _latencyTicks));
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, TimeSpan.Zero);
            Interlocked.Exchange(ref _latencyTicks, value.Ticks);
        }
    }

    internal TimeProvider Time { get; }

    internal CalendarStore Store { get; } = new();

    /// <summary>
    /// Puts an event in the account's primary calendar without a request (not counted as an insert).
    /// Throws <see cref="ArgumentException"/> with Google's message for what events.insert would refuse.
    /// </summary>
    public EmulatedCalendarEvent AddEvent(string email, CalendarEventSeed seed)
    {
        ArgumentException.ThrowIfNullOrEmpty(email);
        ArgumentNullException.ThrowIfNull(seed);
        var calendarId = GoogleEmulator.NormalizeEmail(email);
        if (Insert(calendarId, seed, sendUpdates: null, out var stored) is { } error)
        {
            throw new ArgumentException($"{error.Reason}: {error.Message}", nameof(seed));
        }

        return stored!.ToSnapshot(calendarId);
    }

    /// <summary>Every event of the account's primary calendar in insertion order, cancelled ones included.</summary>
    public IReadOnlyList<EmulatedCalendarEvent> GetEvents(string email)
    {
        ArgumentException.ThrowIfNullOrEmpty(email);
        var calendar = Store.Read(GoogleEmulator.NormalizeEmail(email));
        return calendar.All().Select(e => e.ToSnapshot(calendar.Id)).ToArray();
    }

    /// <summary>The calendar's own time zone (an IANA id; default UTC): all-day events and listings follow it.</summary>
    public void SetTimeZone(string email, string timeZone)
    {
        ArgumentException.ThrowIfNullOrEmpty(email);
        if (!CalendarTime.TryFindZone(timeZone, out var zone))
        {
            throw new ArgumentException($"Unknown IANA time zone '{timeZone}'.", nameof(timeZone));
        }

        var calendar = Store.Write(GoogleEmulator.NormalizeEmail(email))
            ?? throw new InvalidOperationException($"The emulator already holds {MaxCalendars} calendars.");
        calendar.Zone = zone;
    }

    /// <summary>
    /// The next <paramref name="count"/> Calendar API requests fail with <paramref name="status"/>: 403 and
    /// 429 with Google's <c>rateLimitExceeded</c> (or <paramref name="reason"/>, e.g.
    /// <c>userRateLimitExceeded</c>), 5xx with <c>backendError</c>. A count of 0 disarms.
    /// </summary>
    public void FailNext(int count, int status, string? reason = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfLessThan(status, 400);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(status, 599);
        _faults.Arm(count, new InjectedFault(status, reason, null));
    }

    public GoogleCalendarStats GetStats()
    {
        var (calendars, events) = Store.Count();
        return _counters.Snapshot(calendars, events, _faults.Remaining, Latency);
    }

    /// <summary>Forgets every calendar and event, zeroes the counters, disarms faults and removes latency.</summary>
    public void Reset()
    {
        Store.Clear();
        _counters.Clear();
        _faults.Disarm();
        Latency = TimeSpan.Zero;
    }

    /// <summary>
    /// What every Calendar API request goes through, in this order: counted, delayed, failed when a
    /// failure is armed, then authenticated (a live token of this emulator's OAuth server carrying one
    /// of <paramref name="acceptedScopes"/>). Answers the account's email, or the error to send.
    /// </summary>
    internal async Task<(string? Email, CalendarApiError? Error)> AdmitAsync(HttpContext context, CalendarOperation operation, IReadOnlyList<string> acceptedScopes)
    {
        _counters.Request(operation);
        var latency = Latency;
        if (latency > TimeSpan.Zero)
        {
            await Task.Delay(latency, Time, context.RequestAborted);
        }

        if (_faults.TryTake() is { } fault)
        {
            _counters.InjectedFailure();
            return (null, CalendarApiError.Injected(fault.Status, fault.Error));
        }

        if (!AuthenticationHeaderValue.TryParse(context.Request.Headers.Authorization, out var header)
            || !string.Equals(header.Scheme, "Bearer", StringComparison.OrdinalIgnoreCase)
            || string.IsNullOrEmpty(header.Parameter))
        {
            return (null, CalendarApiError.MissingCredentials);
        }

        if (_oauth.InspectAccessToken(header.Parameter) is not { } token)
        {
            return (null, CalendarApiError.InvalidCredentials);
        }

        return token.Scopes.Intersect(acceptedScopes, StringComparer.Ordinal).Any()
            ? (token.Email, null)
            : (null, CalendarApiError.InsufficientScopes);
    }

    internal CalendarApiError? Change(
        string email, string eventId, string? ifMatch, Func<StoredEvent, (CalendarEventSeed? Seed, CalendarApiError? Error)> change, out StoredEvent? stored)
    {
        stored = null;
        return Store.Write(email) is { } calendar
            ? calendar.TryChange(eventId, ifMatch, change, Time.GetUtcNow(), out stored)
            : CalendarApiError.NotFound;
    }

    internal CalendarApiError? Insert(string email, CalendarEventSeed seed, string? sendUpdates, out StoredEvent? stored)
    {
        stored = null;
        return Store.Write(email) is { } calendar
            ? calendar.TryAdd(seed, sendUpdates, Time.GetUtcNow(), out stored)
            : CalendarApiError.QuotaExceeded;
    }
}
