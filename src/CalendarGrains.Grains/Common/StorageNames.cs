namespace CalendarGrains.Common;

/// <summary>Names of the Orleans providers the grains use; the host registers them.</summary>
public static class StorageNames
{
    /// <summary>The grain storage every grain's state lives in (Redis, or memory in the sandbox).</summary>
    public const string State = "state";

    /// <summary>Idempotency-key claims: Redis expires each record <c>Calls:IdempotencyKeyRetention</c> after its write.</summary>
    public const string IdempotencyKeys = "idempotency-keys";

    /// <summary>
    /// Connect sessions: Redis expires each record <c>ConnectSessions:Lifetime</c> plus
    /// <c>ConsentTimeout</c> after its last write, so an abandoned session does not stay for ever.
    /// </summary>
    public const string ConnectSessions = "connect-sessions";
}
