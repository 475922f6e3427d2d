namespace CalendarGrains.Sandbox.Vapi.Webhooks;

/// <summary>One server message, serialized when it happened, waiting for its turn to be POSTed.</summary>
/// <param name="CallId">The call it is about.</param>
/// <param name="MessageType"><c>status-update</c> or <c>end-of-call-report</c>.</param>
/// <param name="Status">The call's status when the message was made.</param>
/// <param name="Target">Where it goes and how it authenticates.</param>
/// <param name="Body">The JSON body.</param>
/// <param name="Generation">Cancelled by a reset: messages of forgotten calls are neither sent nor counted.</param>
internal sealed record PendingDelivery(
    string CallId,
    string MessageType,
    string? Status,
    ServerTarget Target,
    byte[] Body,
    CancellationToken Generation);
