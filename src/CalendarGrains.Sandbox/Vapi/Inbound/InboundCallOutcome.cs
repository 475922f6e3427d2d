using System.Text.Json.Nodes;
using CalendarGrains.Sandbox.Vapi.Wire;

namespace CalendarGrains.Sandbox.Vapi.Inbound;

/// <summary>What a simulated inbound call came to: the server's answer to assistant-request, and the call it started (or why none).</summary>
/// <param name="AnswerStatus">The HTTP status the server answered assistant-request with (null: no answer).</param>
/// <param name="Answer">The server's answer (SDK <c>ServerMessageResponseAssistantRequest</c>).</param>
/// <param name="Call">The inbound call, when the answer named an assistant.</param>
/// <param name="EndedReason">Vapi's <c>endedReason</c> when no call started (e.g. <c>assistant-request-returned-error</c>).</param>
/// <param name="Detail">The error Vapi would speak, or why the request failed.</param>
public sealed record InboundCallOutcome(int? AnswerStatus, JsonNode? Answer, VapiCall? Call, string? EndedReason, string? Detail);

/// <summary><c>POST {prefix}/_emulator/inbound-calls</c>: a customer calls one of the org's numbers (the org by one of its keys, or its id).</summary>
public sealed record InboundCallRequest(string? ApiKey, string? OrgId, string? PhoneNumberId, string? Number, string CustomerNumber);

/// <summary><c>POST {prefix}/_emulator/calls/{id}/tool-calls</c>: the call's model asks a tool server for these tool calls.</summary>
public sealed record ToolCallsRequest(Uri ServerUrl, string? Secret, JsonArray ToolCallList);
