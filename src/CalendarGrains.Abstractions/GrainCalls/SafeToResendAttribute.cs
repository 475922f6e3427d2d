namespace CalendarGrains.GrainCalls;

/// <summary>
/// The method may be sent again when the silo that held the grain left before answering: doing it
/// twice has the effect of doing it once (a read, or a token hand-out that refreshes at most once).
/// </summary>
/// <remarks>
/// Methods marked <see cref="ReadOnlyAttribute"/> are treated the same way. Never put this on a
/// method that places a call, stores a grant or sends anything outward.
/// </remarks>
[AttributeUsage(AttributeTargets.Method, Inherited = true)]
public sealed class SafeToResendAttribute : Attribute;
