using System.Text.Json;

namespace CalendarGrains.Sandbox.Vapi;

/// <summary>A registered Vapi account (org). Its keys and secret are never shown.</summary>
public sealed record VapiAccountInfo(
    string OrgId,
    int ConcurrencyLimit,
    Uri? ServerUrl,
    bool HasServerSecret,
    int LiveCalls,
    int MaxLiveCalls);

/// <summary>A call the emulator created, with the request body exactly as the client sent it.</summary>
public sealed record VapiCreatedCall(
    string CallId,
    string OrgId,
    DateTimeOffset CreatedAt,
    string Status,
    string? EndedReason,
    JsonElement Request);

/// <summary>What happened since the last reset.</summary>
public sealed record VapiEmulatorCounters(
    long CreateCallAttempts,
    long CallsCreated,
    int LiveCalls,
    int MaxLiveCalls,
    long WebhooksDelivered,
    long WebhooksFailed,
    long WebhooksSkipped);

/// <summary>One attempt to deliver a server message (kept for the last few hundred).</summary>
public sealed record VapiWebhookAttempt(
    DateTimeOffset At,
    string CallId,
    string MessageType,
    string? Status,
    string Url,
    int? StatusCode,
    string? Error)
{
    public bool Succeeded => StatusCode is >= 200 and < 300;
}
