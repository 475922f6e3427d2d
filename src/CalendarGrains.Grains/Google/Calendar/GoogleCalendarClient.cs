using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using CalendarGrains.Common;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Polly.Timeout;

namespace CalendarGrains.Google.Calendar;

/// <summary>
/// Google Calendar API v3 for one user at a time: the caller passes that user's access token to each
/// call, and it is neither kept nor logged. The base URL comes from <see cref="IGoogleEndpoints"/> on
/// every call (the sandbox's is known only once it listens). Reads go through an HTTP client that
/// retries; the insert through one that never does (see <see cref="GoogleCalendarClientServices"/>).
/// </summary>
public sealed partial class GoogleCalendarClient(
    IHttpClientFactory httpClients,
    IGoogleEndpoints endpoints,
    [FromKeyedServices(ServiceTime.Key)] TimeProvider time,
    ILogger<GoogleCalendarClient> logger)
{
    /// <summary>The named HTTP client for reads (freeBusy, list): a timeout per attempt and retries.</summary>
    public const string ReadClientName = "google-calendar-read";

    /// <summary>The named HTTP client for writes (insert, patch, delete): one attempt with a timeout, never retried.</summary>
    public const string WriteClientName = "google-calendar-write";

    /// <summary>
    /// Busy intervals of the calendars (e.g. <c>primary</c>) within [timeMin, timeMax). Google writes the
    /// answer's times in <c>timeZone</c> (an IANA id; null for UTC); the instants are the same either way.
    /// </summary>
    public Task<CalendarResult<FreeBusyResponse>> QueryFreeBusyAsync(
        string accessToken,
        DateTimeOffset timeMin,
        DateTimeOffset timeMax,
        string? timeZone,
        IReadOnlyList<string> calendarIds,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(calendarIds);
        var body = new FreeBusyRequest(timeMin, timeMax, timeZone, calendarIds.Select(id => new FreeBusyRequestItem(id)).ToArray());
        return SendAsync(
            "freeBusy",
            ReadClientName,
            new HttpRequestMessage(HttpMethod.Post, Url("freeBusy")) { Content = JsonContent.Create(body, GoogleCalendarJson.Default.FreeBusyRequest) },
            accessToken,
            GoogleCalendarJson.Default.FreeBusyResponse,
            cancellationToken);
    }

    /// <summary>
    /// Creates an event. Never retried here: an insert whose answer was lost may have landed, and a second
    /// one would book the slot twice. Give <see cref="NewEvent.Id"/> to make a deliberate retry safe.
    /// </summary>
    public Task<CalendarResult<CalendarEvent>> InsertEventAsync(
        string accessToken,
        string calendarId,
        NewEvent newEvent,
        SendUpdates? sendUpdates = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(calendarId);
        ArgumentNullException.ThrowIfNull(newEvent);
        var query = SendUpdatesQuery(sendUpdates);
        return SendAsync(
            "insert",
            WriteClientName,
            new HttpRequestMessage(HttpMethod.Post, Url($"calendars/{Uri.EscapeDataString(calendarId)}/events{query}"))
            {
                Content = JsonContent.Create(newEvent, GoogleCalendarJson.Default.NewEvent),
            },
            accessToken,
            GoogleCalendarJson.Default.CalendarEvent,
            cancellationToken);
    }

    /// <summary>
    /// One page of the events that end after timeMin and start before timeMax, recurring ones expanded,
    /// ordered by start time. Google writes their times in <c>timeZone</c> (an IANA id; null for the
    /// calendar's own). <c>maxResults</c> is the page size, 1 to 2500; Google may answer fewer and a
    /// <see cref="CalendarEventList.NextPageToken"/> to pass back as <c>pageToken</c>.
    /// </summary>
    public Task<CalendarResult<CalendarEventList>> ListEventsAsync(
        string accessToken,
        string calendarId,
        DateTimeOffset timeMin,
        DateTimeOffset timeMax,
        string? timeZone,
        int maxResults,
        string? pageToken = null,
        CancellationToken cancellationToken = default) =>
        ListEventsAsync(
            accessToken,
            calendarId,
            new EventListQuery { TimeMin = timeMin, TimeMax = timeMax, TimeZone = timeZone, MaxResults = maxResults, PageToken = pageToken },
            cancellationToken);

    /// <summary>One page of events.list (recurring events expanded, in start order) for <paramref name="query"/>.</summary>
    public Task<CalendarResult<CalendarEventList>> ListEventsAsync(
        string accessToken,
        string calendarId,
        EventListQuery query,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(calendarId);
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfLessThan(query.MaxResults, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(query.MaxResults, 2500);
        var parameters = new List<string>
        {
            "singleEvents=true",
            "orderBy=startTime",
            "maxResults=" + query.MaxResults.ToString(CultureInfo.InvariantCulture),
        };
        void Add(string name, string? value)
        {
            if (value is not null)
            {
                parameters.Add(name + "=" + Uri.EscapeDataString(value));
            }
        }

        Add("timeMin", query.TimeMin is { } min ? Rfc3339(min) : null);
        Add("timeMax", query.TimeMax is { } max ? Rfc3339(max) : null);
        Add("timeZone", query.TimeZone);
        Add("pageToken", query.PageToken);
        Add("q", query.Text);
        Add("showDeleted", query.ShowDeleted ? "true" : null);
        foreach (var (key, value) in query.PrivateProperties ?? new Dictionary<string, string>())
        {
            Add("privateExtendedProperty", $"{key}={value}");
        }

        var url = Url($"calendars/{Uri.EscapeDataString(calendarId)}/events?{string.Join('&', parameters)}");
        return SendAsync("list", ReadClientName, new HttpRequestMessage(HttpMethod.Get, url), accessToken, GoogleCalendarJson.Default.CalendarEventList, cancellationToken);
    }

    /// <summary>The calendar itself (calendars.get): its id, title and own time zone.</summary>
    public Task<CalendarResult<CalendarInfo>> GetCalendarAsync(string accessToken, string calendarId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(calendarId);
        return SendAsync(
            "calendar",
            ReadClientName,
            new HttpRequestMessage(HttpMethod.Get, Url($"calendars/{Uri.EscapeDataString(calendarId)}")),
            accessToken,
            GoogleCalendarJson.Default.CalendarInfo,
            cancellationToken);
    }

    /// <summary>
    /// Changes the given members of an event (events.patch). Through the write client, never retried here:
    /// a caller that retries sends the same patch, which lands the same way twice.
    /// </summary>
    public Task<CalendarResult<CalendarEvent>> PatchEventAsync(
        string accessToken,
        string calendarId,
        string eventId,
        EventPatch patch,
        SendUpdates? sendUpdates = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(calendarId);
        ArgumentException.ThrowIfNullOrEmpty(eventId);
        ArgumentNullException.ThrowIfNull(patch);
        return SendAsync(
            "patch",
            WriteClientName,
            new HttpRequestMessage(HttpMethod.Patch, Url($"calendars/{Uri.EscapeDataString(calendarId)}/events/{Uri.EscapeDataString(eventId)}{SendUpdatesQuery(sendUpdates)}"))
            {
                Content = new StringContent(PatchBody(patch).ToJsonString(), System.Text.Encoding.UTF8, "application/json"),
            },
            accessToken,
            GoogleCalendarJson.Default.CalendarEvent,
            cancellationToken);
    }

    /// <summary>Deletes an event (Google keeps it as <c>cancelled</c>; deleting it again is 410, <see cref="CalendarErrorKind.NotFound"/>).</summary>
    public Task<CalendarResult<EventDeleted>> DeleteEventAsync(
        string accessToken,
        string calendarId,
        string eventId,
        SendUpdates? sendUpdates = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(calendarId);
        ArgumentException.ThrowIfNullOrEmpty(eventId);
        return SendAsync<EventDeleted>(
            "delete",
            WriteClientName,
            new HttpRequestMessage(HttpMethod.Delete, Url($"calendars/{Uri.EscapeDataString(calendarId)}/events/{Uri.EscapeDataString(eventId)}{SendUpdatesQuery(sendUpdates)}")),
            accessToken,
            answerType: null,
            cancellationToken);
    }

    /// <summary>
    /// Patch semantics are a merge: a member set to null is removed. So a new start writes both
    /// <c>date</c> and <c>dateTime</c>, one of them null, or the old kind would linger beside the new one.
    /// </summary>
    private static JsonObject PatchBody(EventPatch patch)
    {
        static JsonObject Time(EventDateTime time) => new()
        {
            ["date"] = time.Date?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ["dateTime"] = time.DateTime is { } instant ? instant.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture) : null,
            ["timeZone"] = time.TimeZone,
        };

        var body = new JsonObject();
        if (patch.Start is { } start)
        {
            body["start"] = Time(start);
        }

        if (patch.End is { } end)
        {
            body["end"] = Time(end);
        }

        if (patch.Summary is { } summary)
        {
            body["summary"] = summary;
        }

        if (patch.PrivateProperties is { Count: > 0 } properties)
        {
            var map = new JsonObject();
            foreach (var (key, value) in properties)
            {
                map[key] = value;
            }

            body["extendedProperties"] = new JsonObject { ["private"] = map };
        }

        return body;
    }

    private static string SendUpdatesQuery(SendUpdates? sendUpdates) => sendUpdates switch
    {
        SendUpdates.All => "?sendUpdates=all",
        SendUpdates.ExternalOnly => "?sendUpdates=externalOnly",
        SendUpdates.None => "?sendUpdates=none",
        _ => "",
    };

    private async Task<CalendarResult<T>> SendAsync<T>(
        string operation,
        string clientName,
        HttpRequestMessage message,
        string accessToken,
        JsonTypeInfo<T>? answerType,
        CancellationToken cancellationToken)
        where T : class
    {
        using var request = message;
        ArgumentException.ThrowIfNullOrEmpty(accessToken);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        try
        {
            using var response = await httpClients.CreateClient(clientName).SendAsync(request, cancellationToken);
            if (response.IsSuccessStatusCode)
            {
                if (answerType is null)
                {
                    // events.delete: 204 and no body.
                    return new CalendarResult<T>((T)(object)EventDeleted.Instance, null);
                }

                var value = await response.Content.ReadFromJsonAsync(answerType, cancellationToken);
                return value is null ? Fail<T>(operation, Unanswered("invalid_response", "Google Calendar answered an empty body.")) : new CalendarResult<T>(value, null);
            }

            return Fail<T>(operation, await GoogleCalendarErrors.ReadAsync(response, time, cancellationToken));
        }
        catch (Exception e) when (e is TimeoutRejectedException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return Fail<T>(operation, Unanswered("timeout", "Google Calendar did not answer in time."));
        }
        catch (HttpRequestException e)
        {
            return Fail<T>(operation, Unanswered("network_error", $"Google Calendar could not be reached ({e.HttpRequestError})."));
        }
        catch (JsonException)
        {
            return Fail<T>(operation, Unanswered("invalid_response", "Google Calendar answered JSON this client cannot read."));
        }
    }

    private CalendarResult<T> Fail<T>(string operation, CalendarError error)
        where T : class
    {
        LogCalendarFailure(logger, operation, error.Status, error.Reason, error.Kind);
        return new CalendarResult<T>(null, error);
    }

    private static CalendarError Unanswered(string reason, string message) => new(CalendarErrorKind.Unavailable, 0, reason, message);

    private Uri Url(string relative) => new(endpoints.CalendarApi.AbsoluteUri.TrimEnd('/') + "/" + relative);

    /// <summary>Google wants an offset in timeMin/timeMax; milliseconds are allowed and ignored.</summary>
    private static string Rfc3339(DateTimeOffset instant) => instant.ToString("yyyy-MM-dd'T'HH:mm:ss.fffzzz", CultureInfo.InvariantCulture);

    [LoggerMessage(EventId = 111, EventName = "GoogleCalendarCallFailed", Level = LogLevel.Warning, Message = "Google Calendar {Operation} failed: HTTP {Status}, reason {Reason} ({Kind})")]
    private static partial void LogCalendarFailure(ILogger logger, string operation, int status, string reason, CalendarErrorKind kind);
}
