using System.Text.Json;
using CalendarGrains.Google.Calendar;
using CalendarGrains.Connections;
using CalendarGrains.Tools;
using NodaTime;

namespace CalendarGrains.Silo.Tools;

/// <summary>A tool call could not be done; the message is the sentence the assistant gets as <c>error</c>.</summary>
public sealed class ToolFailureException(string message) : Exception(message);

/// <summary>
/// What the tool calls of one Vapi message share: the connection (and its metadata), the tenant's
/// tool settings, the caller, a token source and the calendar's time zone, each read at most once.
/// </summary>
internal sealed class ToolContext(
    string tenantId,
    string connectionId,
    IConnectionGrain connection,
    ConnectionView view,
    ToolSettings settings,
    ToolCallMessage message,
    GoogleCalendarClient calendar,
    CalendarZoneCache zones,
    TimeProvider time,
    CancellationToken cancellationToken)
{
    public const string Reconnect = "The caller's Google Calendar must be reconnected before I can use it.";
    public const string ConnectionNotFound = "The calendar connection for this call was not found.";
    public const string Unavailable = "Google Calendar is not reachable right now; please try again in a moment.";

    private const int DefaultMinutes = 30;

    public string TenantId => tenantId;

    public string ConnectionId => connectionId;

    public ToolSettings Settings => settings;

    public ToolCallMessage Message => message;

    public GoogleCalendarClient Calendar => calendar;

    public CancellationToken CancellationToken => cancellationToken;

    public Instant Now => Instant.FromDateTimeOffset(time.GetUtcNow());

    public int DefaultDurationMinutes => settings.DefaultDurationMinutes ?? DefaultMinutes;

    /// <summary>
    /// The caller's zone: the tool call's <c>timeZone</c>, else the call's (variableValues/metadata, or
    /// the assistant's metadata), else the tenant's default, else the calendar's own. A name that is not
    /// a zone is the tool call's mistake only when the tool call gave it; the defaults are skipped.
    /// </summary>
    public async Task<DateTimeZone> CallerZoneAsync(ToolArguments arguments, string calendarId)
    {
        if (arguments.OptionalZone() is { } asked)
        {
            return asked;
        }

        foreach (var fallback in (string?[])[message.DefaultTimeZone, settings.TimeZone])
        {
            if (fallback is not null && ZoneNames.TryFind(fallback, out var zone, out _))
            {
                return zone;
            }
        }

        return await CalendarZoneAsync(calendarId);
    }

    /// <summary>The calendar's own zone (calendars.get), cached for a while per connection and calendar.</summary>
    public async Task<DateTimeZone> CalendarZoneAsync(string calendarId)
    {
        var key = $"{connectionId}\n{calendarId}";
        if (zones.TryGet(key) is { } known)
        {
            return known;
        }

        var info = await CallAsync(token => calendar.GetCalendarAsync(token, calendarId, cancellationToken));
        var zone = ZoneNames.TryFind(info.TimeZone, out var found, out _) ? found : DateTimeZone.Utc;
        zones.Set(key, zone);
        return zone;
    }

    /// <summary>The connection's <c>workingHours</c> metadata, else the tenant's, else Monday to Friday 09:00–17:00; in their zone, else the calendar's.</summary>
    public async Task<WorkingHours> WorkingHoursAsync(string calendarId)
    {
        var spec = WorkingHoursSpec.Default;
        if (ConnectionWorkingHours() is { } own)
        {
            if (!WorkingHoursSpec.TryParse(own, out var parsed, out var problem))
            {
                throw new ToolFailureException($"The working hours in this calendar's connection metadata are not valid ({problem}); the platform must fix them.");
            }

            spec = parsed!;
        }
        else if (settings.WorkingHoursJson is { } tenantJson)
        {
            using var document = JsonDocument.Parse(tenantJson);
            if (WorkingHoursSpec.TryParse(document.RootElement, out var parsed, out _))
            {
                spec = parsed!;
            }
        }

        return spec.TimeZone is null ? spec.In(await CalendarZoneAsync(calendarId)) : spec.In(DateTimeZone.Utc);
    }

    /// <summary>Runs a Google call with a token; any failure becomes a <see cref="ToolFailureException"/> with the sentence to say.</summary>
    public async Task<T> CallAsync<T>(Func<string, Task<CalendarResult<T>>> action)
        where T : class
    {
        var outcome = await TryCallAsync(action);
        return outcome.IsSuccess ? outcome.Value! : throw new ToolFailureException(outcome.Problem!);
    }

    /// <summary>
    /// Gets a token and runs the Google call; a 401 means the token died (revoked, say), so the token
    /// is refreshed once: either the grain learns the grant is dead, or the call is retried.
    /// </summary>
    public async Task<CalendarOutcome<T>> TryCallAsync<T>(Func<string, Task<CalendarResult<T>>> action)
        where T : class
    {
        var (token, problem) = await TokenAsync(forceRefresh: false);
        if (token is null)
        {
            return new CalendarOutcome<T>(null, problem, null);
        }

        var result = await action(token);
        if (result.Error is { Kind: CalendarErrorKind.Unauthorized })
        {
            (token, problem) = await TokenAsync(forceRefresh: true);
            if (token is null)
            {
                return new CalendarOutcome<T>(null, problem, null);
            }

            result = await action(token);
        }

        return result.IsSuccess
            ? new CalendarOutcome<T>(result.Value, null, null)
            : new CalendarOutcome<T>(null, Describe(result.Error), result.Error);
    }

    private JsonElement? ConnectionWorkingHours()
    {
        if (view.MetadataJson is not { } metadata)
        {
            return null;
        }

        using var document = JsonDocument.Parse(metadata);
        return document.RootElement.ValueKind == JsonValueKind.Object
            && document.RootElement.TryGetProperty("workingHours", out var hours) && hours.ValueKind != JsonValueKind.Null
            ? hours.Clone()
            : null;
    }

    private async Task<(string? Token, string? Problem)> TokenAsync(bool forceRefresh)
    {
        var result = await connection.GetAccessTokenAsync(tenantId, new TokenRequest(60, forceRefresh)).WaitAsync(cancellationToken);
        return result switch
        {
            TokenIssued issued => (issued.AccessToken, null),
            TokenNeedsReauth => (null, Reconnect),
            TokenNotFound => (null, ConnectionNotFound),
            _ => (null, Unavailable),
        };
    }

    private static string Describe(CalendarError error) => error.Kind switch
    {
        CalendarErrorKind.Unauthorized => Reconnect,
        CalendarErrorKind.Forbidden => "The calendar connection does not allow this; it must be reconnected with calendar access.",
        CalendarErrorKind.NotFound => "That calendar or event was not found.",
        CalendarErrorKind.Invalid => $"Google Calendar refused the request: {error.Message}",
        CalendarErrorKind.Conflict => "That event already exists.",
        _ => Unavailable,
    };
}

/// <summary>A Google call's value, or the sentence that says why not (and Google's error, when it answered one).</summary>
internal sealed record CalendarOutcome<T>(T? Value, string? Problem, CalendarError? Error)
{
    public bool IsSuccess => Problem is null;
}
