namespace CalendarGrains.Calls;

/// <summary>
/// A call as accepted by the API, with the tenant's defaults already applied: what the grain
/// stores and, on every attempt, turns into the same Vapi request.
/// </summary>
[GenerateSerializer, Immutable, Alias("cg.CallDefinition")]
public sealed record CallDefinition(
    [property: Id(0)] string TenantId,
    [property: Id(1)] string ConnectionId,
    [property: Id(2)] CallCustomer Customer,
    [property: Id(3)] string? AssistantId,
    [property: Id(4)] string? AssistantJson,
    [property: Id(5)] string? AssistantOverridesJson,
    [property: Id(6)] string PhoneNumberId,
    [property: Id(7)] DateTimeOffset? ScheduledAt,
    [property: Id(8)] string? MetadataJson);

/// <summary>Who is called: an E.164 number and, optionally, a name (Vapi allows 40 characters).</summary>
[GenerateSerializer, Immutable, Alias("cg.CallCustomer")]
public sealed record CallCustomer(
    [property: Id(0)] string Number,
    [property: Id(1)] string? Name);

/// <summary>How a create request ended.</summary>
public enum CallCreationOutcome
{
    /// <summary>A new call was accepted.</summary>
    Created,

    /// <summary>The call already existed (the same idempotency key and body): nothing new was accepted.</summary>
    Existing,

    /// <summary>The idempotency key was used before with another body.</summary>
    IdempotencyConflict,

    ConnectionNotFound,

    /// <summary>The connection's grant is dead: nothing was accepted and nobody will be dialled.</summary>
    ConnectionNeedsReauth,
}

[GenerateSerializer, Immutable, Alias("cg.CallCreation")]
public sealed record CallCreation(
    [property: Id(0)] CallCreationOutcome Outcome,
    [property: Id(1)] CallView? Call);

public enum CancelOutcome
{
    Canceled,
    NotFound,

    /// <summary>Vapi already has the call (or it is over): only a pending call can be canceled.</summary>
    NotCancelable,
}

[GenerateSerializer, Immutable, Alias("cg.CancelResult")]
public sealed record CancelResult(
    [property: Id(0)] CancelOutcome Outcome,
    [property: Id(1)] CallView? Call);
