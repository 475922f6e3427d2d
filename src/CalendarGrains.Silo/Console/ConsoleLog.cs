namespace CalendarGrains.Silo.WebConsole;

internal static partial class ConsoleLog
{
    [LoggerMessage(EventId = 1602, EventName = "ConsoleSignInRefused", Level = LogLevel.Warning, Message = "A console sign-in was refused: the key is neither a tenant key nor the admin key")]
    public static partial void SignInRefused(ILogger logger);

    [LoggerMessage(EventId = 1606, EventName = "ConsoleSignedIn", Level = LogLevel.Information, Message = "Console session opened: {Who}")]
    public static partial void SignedIn(ILogger logger, string who);

    [LoggerMessage(EventId = 1603, EventName = "ConsoleConnectionDeleted", Level = LogLevel.Information, Message = "Connection {ConnectionId} of tenant {TenantId} deleted from the console")]
    public static partial void ConnectionDeleted(ILogger logger, string connectionId, string tenantId);

    [LoggerMessage(EventId = 1604, EventName = "ConsoleApiKeyIssued", Level = LogLevel.Information, Message = "API key {KeyId} issued to tenant {TenantId} from the console")]
    public static partial void ApiKeyIssued(ILogger logger, string keyId, string tenantId);

    [LoggerMessage(EventId = 1605, EventName = "ConsoleApiKeyRevoked", Level = LogLevel.Information, Message = "API key {KeyId} of tenant {TenantId} revoked from the console")]
    public static partial void ApiKeyRevoked(ILogger logger, string keyId, string tenantId);
}
