using CalendarGrains.Google;
using Microsoft.Extensions.Logging;

namespace CalendarGrains.Connections;

public sealed partial class ConnectionGrain
{
    [LoggerMessage(EventId = 201, EventName = "ConnectionConnected", Level = LogLevel.Information, Message = "Connection {ConnectionId} of tenant {TenantId} connected (new: {Created})")]
    private static partial void LogConnected(ILogger logger, string connectionId, string tenantId, bool created);

    [LoggerMessage(EventId = 202, EventName = "ConnectionNeedsReauth", Level = LogLevel.Warning, Message = "Connection {ConnectionId} of tenant {TenantId} needs reauth: Google said {Error}")]
    private static partial void LogNeedsReauth(ILogger logger, string connectionId, string tenantId, string error);

    [LoggerMessage(EventId = 203, EventName = "ConnectionDeleted", Level = LogLevel.Information, Message = "Connection {ConnectionId} of tenant {TenantId} deleted (revoked at Google: {Revoked})")]
    private static partial void LogDeleted(ILogger logger, string connectionId, string tenantId, bool revoked);

    [LoggerMessage(EventId = 204, EventName = "ConnectionRevocation", Level = LogLevel.Information, Message = "Revoking connection {ConnectionId} at Google: {Result}")]
    private static partial void LogRevoked(ILogger logger, string connectionId, GoogleRevokeResult result);

    [LoggerMessage(EventId = 205, EventName = "ConnectionPersistFailed", Level = LogLevel.Error, Message = "Could not store the state of connection {ConnectionId}")]
    private static partial void LogPersistFailed(ILogger logger, Exception exception, string connectionId);

    [LoggerMessage(EventId = 207, EventName = "ConnectionIndexNotUpdated", Level = LogLevel.Warning, Message = "Could not update the list index of connection {ConnectionId}; the next write, activation or reminder tries again")]
    private static partial void LogIndexNotUpdated(ILogger logger, Exception exception, string connectionId);

    [LoggerMessage(EventId = 208, EventName = "ConnectionEndUserNotReleased", Level = LogLevel.Warning, Message = "Connection {ConnectionId} is deleted but its end user still points at it")]
    private static partial void LogEndUserNotReleased(ILogger logger, Exception exception, string connectionId);
}
