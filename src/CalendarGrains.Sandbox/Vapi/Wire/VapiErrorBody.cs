namespace CalendarGrains.Sandbox.Vapi.Wire;

/// <summary>
/// Vapi's error body (NestJS's): <c>{"message": "..." | ["..."], "error": "Bad Request", "statusCode": 400}</c>.
/// <paramref name="Message"/> is a string for errors raised by Vapi's own logic and an array of strings for
/// request validation (class-validator), so clients must read both.
/// </summary>
public sealed record VapiErrorBody(object Message, string Error, int StatusCode);
