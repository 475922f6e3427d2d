using System.Security.Cryptography;
using System.Text;
using CalendarGrains.Google.Calendar;
using CalendarGrains.Common;
using CalendarGrains.Connections;
using CalendarGrains.Silo.Connections;
using CalendarGrains.Silo.PhoneNumbers;
using CalendarGrains.Tools;

namespace CalendarGrains.Silo.Tools;

/// <summary>
/// Runs Vapi tool calls on the end user's own Google Calendar: a token from the connection's
/// grain, then Google Calendar. Every outcome is a short sentence; failures are <c>error</c>
/// results, never exceptions, so Vapi always gets its 200.
/// </summary>
/// <remarks>
/// The tool calls of one message run one after another, in the order Vapi listed them (the order
/// the model asked for them): a <c>list_events</c> after a <c>create_event</c> in the same message
/// sees the new event, and a <c>cancel_event</c> after an <c>update_event</c> finds the event where
/// it was moved. Running them concurrently would save little (a message rarely has more than one or
/// two calls) and would make their outcome depend on which Google request landed first.
/// </remarks>
public sealed partial class CalendarTools(
    IGrainFactory grains,
    GoogleCalendarClient calendar,
    CalendarZoneCache zones,
    [FromKeyedServices(ServiceTime.Key)] TimeProvider time,
    ILogger<CalendarTools> logger)
{
    public const string CheckAvailability = "check_availability";
    public const string CreateEvent = "create_event";
    public const string ListEvents = "list_events";
    public const string UpdateEvent = "update_event";
    public const string CancelEvent = "cancel_event";

    /// <summary>Vapi waits 20 s for a tool server by default; answer within it, whatever Google does.</summary>
    public static readonly TimeSpan Budget = TimeSpan.FromSeconds(15);

    private const string NoConnection = "No calendar is linked to this call (connectionId is missing from the call's variableValues).";

    private static readonly HashSet<string> Known = new(StringComparer.Ordinal) { CheckAvailability, CreateEvent, ListEvents, UpdateEvent, CancelEvent };

    public async Task<IReadOnlyList<ToolCallResult>> RunAsync(string tenantId, ToolCallMessage message, CancellationToken cancellationToken)
    {
        using var budget = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        budget.CancelAfter(Budget);
        var results = new List<ToolCallResult>(message.Calls.Count);
        Task<(ToolContext? Context, string? Problem)>? opening = null;
        foreach (var call in message.Calls)
        {
            // In order, one at a time (see the remarks); the context is opened by the first real tool call.
            results.Add(await RunOneAsync(call, () => opening ??= OpenAsync(tenantId, message, budget.Token)));
        }

        return results;
    }

    private async Task<ToolCallResult> RunOneAsync(ToolCall call, Func<Task<(ToolContext? Context, string? Problem)>> open)
    {
        try
        {
            if (!Known.Contains(call.Name))
            {
                return ToolCallResult.Failed(call, $"Unknown tool '{call.Name}'.");
            }

            var arguments = ToolArguments.From(call.Arguments);
            var (context, problem) = await open();
            if (context is null)
            {
                return ToolCallResult.Failed(call, problem!);
            }

            return ToolCallResult.Ok(call, call.Name switch
            {
                CheckAvailability => await CheckAvailabilityAsync(context, arguments),
                CreateEvent => await CreateEventAsync(context, call, arguments),
                ListEvents => await ListEventsAsync(context, arguments),
                UpdateEvent => await UpdateEventAsync(context, call, arguments),
                _ => await CancelEventAsync(context, call, arguments),
            });
        }
        catch (ToolArgumentException invalid)
        {
            return ToolCallResult.Failed(call, $"Invalid arguments: {invalid.Message}");
        }
        catch (ToolFailureException failure)
        {
            return ToolCallResult.Failed(call, failure.Message);
        }
        catch (OperationCanceledException)
        {
            LogOverBudget(logger, call.Name);
            return ToolCallResult.Failed(call, "Google Calendar is taking too long right now; please try again in a moment.");
        }
    }

    /// <summary>
    /// The call's connection (or, for an inbound call without one, the connection its phone number is
    /// routed to), its metadata, and the tenant's tool settings.
    /// </summary>
    private async Task<(ToolContext? Context, string? Problem)> OpenAsync(string tenantId, ToolCallMessage message, CancellationToken cancellationToken)
    {
        var connectionId = message.ConnectionId;
        if (connectionId is null && (message.PhoneNumberId is not null || message.PhoneNumber is not null))
        {
            connectionId = await PhoneNumberRouting.ConnectionForAsync(grains, tenantId, message.PhoneNumberId, message.PhoneNumber);
        }

        if (connectionId is null)
        {
            return (null, NoConnection);
        }

        if (!ConnectionIds.IsPlausible(connectionId))
        {
            return (null, ToolContext.ConnectionNotFound);
        }

        var connection = grains.Connection(tenantId, connectionId);
        var viewing = connection.GetAsync(tenantId);
        var settings = await grains.GetGrain<IToolSettingsGrain>(tenantId).GetAsync().WaitAsync(cancellationToken);
        var view = await viewing.WaitAsync(cancellationToken);
        return view is null
            ? (null, ToolContext.ConnectionNotFound)
            : (new ToolContext(tenantId, connectionId, connection, view, settings, message, calendar, zones, time, cancellationToken), null);
    }

    /// <summary>The <c>calendarId</c> argument, <c>primary</c> (the user's own) by default.</summary>
    private static string CalendarIdOf(ToolArguments arguments) => arguments.OptionalString("calendarId") ?? "primary";

    /// <summary>The notes of DST choices, each once, after the sentence.</summary>
    private static string WithNotes(string sentence, params ResolvedTime[] times)
    {
        var notes = times.Select(t => t.Note).OfType<string>().Distinct(StringComparer.Ordinal).ToList();
        return notes.Count == 0 ? sentence : $"{sentence} Note: {string.Join(" ", notes)}";
    }

    /// <summary>
    /// An id derived from the tool call (Google's alphabet: base32hex, lower case): the id of the event a
    /// <c>create_event</c> books, and the change mark of an update or cancel, so a retried tool call finds
    /// its own work instead of doing it twice.
    /// </summary>
    public static string EventIdFor(string tenantId, string connectionId, string toolCallId)
    {
        const string Alphabet = "0123456789abcdefghijklmnopqrstuv";
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{tenantId}\n{connectionId}\n{toolCallId}"));
        var id = new StringBuilder("cg");
        for (var i = 0; i < 26; i++)
        {
            var bit = i * 5;
            var value = ((hash[bit / 8] << 8 | hash[(bit / 8) + 1]) >> (11 - (bit % 8))) & 31;
            id.Append(Alphabet[value]);
        }

        return id.ToString();
    }

    [LoggerMessage(EventId = 801, EventName = "ToolCallOverBudget", Level = LogLevel.Warning, Message = "Tool call {Tool} ran out of its time budget")]
    private static partial void LogOverBudget(ILogger logger, string tool);
}
