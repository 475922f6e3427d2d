namespace CalendarGrains.Sandbox.Vapi;

/// <summary>The emulator's log lines. Keys and secrets never appear in them.</summary>
internal static partial class VapiEmulatorLog
{
    [LoggerMessage(EventId = 10001, EventName = "VapiCallCreated", Level = LogLevel.Information,
        Message = "Vapi emulator created call {CallId} for org {OrgId}: {Status}")]
    public static partial void CallCreated(ILogger logger, string callId, string orgId, string status);

    [LoggerMessage(EventId = 10002, EventName = "VapiCallMoved", Level = LogLevel.Information,
        Message = "Vapi emulator call {CallId}: {FromStatus} -> {ToStatus} {EndedReason}")]
    public static partial void CallMoved(ILogger logger, string callId, string fromStatus, string toStatus, string? endedReason);

    [LoggerMessage(EventId = 10003, EventName = "VapiServerMessageFailed", Level = LogLevel.Warning,
        Message = "Vapi emulator could not deliver {MessageType} of call {CallId} to {Url}: {Failure}")]
    public static partial void ServerMessageFailed(ILogger logger, string messageType, string callId, string url, string failure);

    [LoggerMessage(EventId = 10004, EventName = "VapiNoServerUrl", Level = LogLevel.Debug,
        Message = "Vapi emulator call {CallId} has no server URL; {MessageType} not sent")]
    public static partial void NoServerUrl(ILogger logger, string callId, string messageType);

    [LoggerMessage(EventId = 10005, EventName = "VapiAutomaticStepFailed", Level = LogLevel.Error,
        Message = "Vapi emulator could not move call {CallId} on its own")]
    public static partial void AutomaticStepFailed(ILogger logger, Exception exception, string callId);
}
