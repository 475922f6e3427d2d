namespace CalendarGrains.Sandbox.Vapi.Calls;

/// <summary>Times at Vapi's precision.</summary>
internal static class Timestamps
{
    /// <summary>
    /// Vapi's times carry milliseconds. Keeping ours at that precision means a time a client read from a call
    /// filters exactly as on Vapi (<c>createdAtGt=&lt;that call's createdAt&gt;</c> leaves the call out).
    /// </summary>
    public static DateTimeOffset TruncateToMilliseconds(DateTimeOffset time)
    {
        var utc = time.ToUniversalTime();
        return new DateTimeOffset(utc.Ticks - (utc.Ticks % TimeSpan.TicksPerMillisecond), TimeSpan.Zero);
    }
}
