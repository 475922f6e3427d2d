namespace CalendarGrains.Calls;

/// <summary>
/// A tenant's queue as stored: only the slots in use (at most the concurrency limit) and
/// counters. The waiting line itself is in the ordered index (<see cref="CallIndexSets.Waiting"/>).
/// </summary>
[GenerateSerializer, Alias("cg.CallQueueState")]
public sealed class CallQueueState
{
    /// <summary>The last ticket handed out: tickets are the arrival order.</summary>
    [Id(0)] public long Sequence { get; set; }

    /// <summary>Calls holding a slot, by call id.</summary>
    [Id(1)] public Dictionary<string, QueueSlot> Live { get; set; } = new(StringComparer.Ordinal);

    /// <summary>After a refusal by Vapi, nobody is sent before this.</summary>
    [Id(2)] public DateTimeOffset? HoldUntil { get; set; }
}

/// <summary>A slot in use.</summary>
/// <param name="Ticket">The call's place in line, kept so a refused call goes back to it.</param>
/// <param name="GrantedAt">When the slot was handed out.</param>
/// <param name="Dispatched">False while its <c>POST /call</c> may still be under way.</param>
[GenerateSerializer, Immutable, Alias("cg.QueueSlot")]
public sealed record QueueSlot(
    [property: Id(0)] long Ticket,
    [property: Id(1)] DateTimeOffset GrantedAt,
    [property: Id(2)] bool Dispatched);

/// <summary>The period of the watch reminders: the configured interval, but never under the reminder service's minimum.</summary>
public static class WatchPeriod
{
    public static TimeSpan Of(CallOptions options, Orleans.Hosting.ReminderOptions reminders) =>
        options.WatchInterval > reminders.MinimumReminderPeriod ? options.WatchInterval : reminders.MinimumReminderPeriod;
}
