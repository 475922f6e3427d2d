using System.Text.Json;
using System.Text.Json.Serialization;
using CalendarGrains.Connections;
using CalendarGrains.Nango;

namespace CalendarGrains.Silo.Nango;

/// <summary>
/// The messages Nango's front-end SDK waits for on its websocket (<c>@nangohq/frontend</c>'s
/// <c>AuthorizationModal</c>): <c>success</c> resolves <c>nango.auth()</c>, <c>error</c> rejects it.
/// </summary>
public static partial class NangoConnectResults
{
    private static readonly JsonSerializerOptions Json = new(NangoJson.Options) { DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };

    /// <summary>
    /// Tells the websocket waiting for this step, if any, how it ended. Never fails the caller: the
    /// connection is stored and the person's page says so; an SDK that misses the message is left
    /// waiting as if the popup had been closed.
    /// </summary>
    public static async Task NotifyAsync(IGrainFactory grains, ConnectStep step, ILogger logger)
    {
        if (step.WsClientId is not { } ws)
        {
            return;
        }

        var message = step.Kind switch
        {
            ConnectStepKind.Connected => Success(step.ConnectionId!),
            ConnectStepKind.Failed => Error(ErrorType(step.Error), step.Reason ?? "The connection failed."),
            _ => null,
        };
        try
        {
            if (message is not null)
            {
                await PublishAsync(grains, ws, message);
            }
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            LogNotNotified(logger, e);
        }
    }

    public static Task PublishAsync(IGrainFactory grains, string wsClientId, string message) =>
        grains.GetGrain<INangoAuthWaiterGrain>(wsClientId).PublishAsync(message);

    public static string Ack(string wsClientId) => JsonSerializer.Serialize(new NangoWsAck("connection_ack", wsClientId), Json);

    public static string Success(string connectionId) =>
        JsonSerializer.Serialize(new NangoWsSuccess("success", NangoConnections.ProviderConfigKey, connectionId, IsPending: false), Json);

    public static string Error(string errorType, string description, string? connectionId = null) =>
        JsonSerializer.Serialize(new NangoWsError("error", NangoConnections.ProviderConfigKey, connectionId, errorType, description), Json);

    /// <summary>Nango's error types: a provider error in the callback is <c>callback_err</c>, a refused code <c>token_err</c>.</summary>
    private static string ErrorType(string? error) => error switch
    {
        "access_denied" or "invalid_request" or "invalid_scope" or "server_error" or "temporarily_unavailable" or "no_refresh_token" => "callback_err",
        "invalid_grant" or "invalid_client" or "unauthorized_client" or "redirect_uri_mismatch" => "token_err",
        "session_expired" => "session_expired",
        null => "unknown_error",
        _ => "callback_err",
    };

    [LoggerMessage(EventId = 1302, EventName = "NangoSocketNotNotified", Level = LogLevel.Warning,
        Message = "The outcome of a connect session could not be handed to the Nango front-end websocket waiting for it")]
    private static partial void LogNotNotified(ILogger logger, Exception exception);

    private sealed record NangoWsAck(string MessageType, string WsClientId);

    private sealed record NangoWsSuccess(string MessageType, string ProviderConfigKey, string ConnectionId, bool IsPending);

    private sealed record NangoWsError(string MessageType, string ProviderConfigKey, string? ConnectionId, string ErrorType, string ErrorDesc);
}
