using Microsoft.Extensions.Logging;

namespace CalendarGrains.Calls;

public sealed partial class CallDispatchGrain
{
    [LoggerMessage(EventId = 601, EventName = "CallAccepted", Level = LogLevel.Information, Message = "Call {CallId} of tenant {TenantId} accepted (scheduled at {ScheduledAt})")]
    private static partial void LogAccepted(ILogger logger, string callId, string tenantId, DateTimeOffset? scheduledAt);

    [LoggerMessage(EventId = 602, EventName = "CallStatusChanged", Level = LogLevel.Information, Message = "Call {CallId}: {From} -> {To}")]
    private static partial void LogTransition(ILogger logger, string callId, CallStatus from, CallStatus to);

    [LoggerMessage(EventId = 603, EventName = "CallDispatching", Level = LogLevel.Information, Message = "Call {CallId}: POST /call, attempt {Attempt}")]
    private static partial void LogDispatching(ILogger logger, string callId, int attempt);

    [LoggerMessage(EventId = 604, EventName = "CallDispatchAmbiguous", Level = LogLevel.Warning, Message = "Call {CallId}: POST /call outcome unknown ({Kind}); reconciling before anything is sent again")]
    private static partial void LogAmbiguous(ILogger logger, string callId, string kind);

    [LoggerMessage(EventId = 605, EventName = "CallReconciled", Level = LogLevel.Information, Message = "Call {CallId}: found at Vapi as {VapiCallId}")]
    private static partial void LogReconciled(ILogger logger, string callId, string vapiCallId);

    [LoggerMessage(EventId = 606, EventName = "CallAbsentAtVapi", Level = LogLevel.Warning, Message = "Call {CallId}: Vapi has no trace of attempt {Attempt} after the visibility grace; sending again")]
    private static partial void LogAbsent(ILogger logger, string callId, int attempt);

    [LoggerMessage(EventId = 607, EventName = "CallAdopted", Level = LogLevel.Information, Message = "Call {CallId} is Vapi call {VapiCallId}")]
    private static partial void LogAdopted(ILogger logger, string callId, string vapiCallId);

    [LoggerMessage(EventId = 608, EventName = "CallRefused", Level = LogLevel.Information, Message = "Call {CallId}: Vapi refused it for now ({Kind}); back in line, the line waits {Hold}")]
    private static partial void LogRefused(ILogger logger, string callId, string kind, TimeSpan hold);

    [LoggerMessage(EventId = 609, EventName = "CallFailed", Level = LogLevel.Warning, Message = "Call {CallId} failed: {Code}")]
    private static partial void LogFailed(ILogger logger, string callId, string code);

    [LoggerMessage(EventId = 610, EventName = "CallEventIgnored", Level = LogLevel.Debug, Message = "Call {CallId}: ignored {Source} about Vapi call {VapiCallId}")]
    private static partial void LogEventIgnored(ILogger logger, string callId, string vapiCallId, string source);

    [LoggerMessage(EventId = 611, EventName = "CallStaleNews", Level = LogLevel.Debug, Message = "Call {CallId}: {News} does not move a call that is {Status}")]
    private static partial void LogStale(ILogger logger, string callId, string news, CallStatus status);

    [LoggerMessage(EventId = 612, EventName = "CallNotDue", Level = LogLevel.Information, Message = "Call {CallId}: scheduled, not due for {Remaining}")]
    private static partial void LogNotDue(ILogger logger, string callId, TimeSpan remaining);

    [LoggerMessage(EventId = 613, EventName = "CallDue", Level = LogLevel.Information, Message = "Call {CallId}: its scheduled time came {Late} ago; in line")]
    private static partial void LogDue(ILogger logger, string callId, TimeSpan late);

    [LoggerMessage(EventId = 614, EventName = "CallPolling", Level = LogLevel.Information, Message = "Call {CallId}: no news from Vapi for a while; polling {VapiCallId}")]
    private static partial void LogPolling(ILogger logger, string callId, string vapiCallId);

    [LoggerMessage(EventId = 616, EventName = "CallNotVisibleYet", Level = LogLevel.Information, Message = "Call {CallId}: Vapi does not show {VapiCallId} yet (404 soon after creation)")]
    private static partial void LogNotVisibleYet(ILogger logger, string callId, string vapiCallId);

    [LoggerMessage(EventId = 617, EventName = "CallIndexNotUpdated", Level = LogLevel.Warning, Message = "Call {CallId}: could not update its list index; the next write, activation or watch tick tries again")]
    private static partial void LogIndexNotUpdated(ILogger logger, Exception exception, string callId);

    [LoggerMessage(EventId = 618, EventName = "CallWebhooksNotSettled", Level = LogLevel.Warning, Message = "Call {CallId}: the outbox took its webhooks but storing that failed; they are handed over again")]
    private static partial void LogWebhooksNotSettled(ILogger logger, Exception exception, string callId);

    [LoggerMessage(EventId = 615, EventName = "CallSlotNotReleased", Level = LogLevel.Warning, Message = "Call {CallId}: could not give its slot back yet; the watch reminder will retry")]
    private static partial void LogReleaseFailed(ILogger logger, Exception exception, string callId);
}
