namespace CalendarGrains.Silo.WebConsole.Data;

/// <summary>
/// Counts per minute over the last hour, in a ring of 61 slots (one more than shown, so the slot
/// being cleared for a new minute is never one that is read). Adding is an interlocked increment; a slot is cleared when a new minute reaches it.
/// </summary>
public sealed class MinuteSeries
{
    public const int Minutes = 60;
    private const int Slots = Minutes + 1;

    private readonly long[] _counts = new long[Slots];
    private readonly long[] _minuteOfSlot = new long[Slots];
    private readonly Lock _turn = new();

    public void Add(long minute, long amount)
    {
        var slot = (int)(minute % Slots);
        if (Volatile.Read(ref _minuteOfSlot[slot]) != minute)
        {
            lock (_turn)
            {
                if (_minuteOfSlot[slot] != minute)
                {
                    Volatile.Write(ref _counts[slot], 0);
                    Volatile.Write(ref _minuteOfSlot[slot], minute);
                }
            }
        }

        Interlocked.Add(ref _counts[slot], amount);
    }

    /// <summary>The counts of the last <see cref="Minutes"/> minutes, oldest first; the last is <paramref name="currentMinute"/>, so far.</summary>
    public long[] LastHour(long currentMinute)
    {
        var counts = new long[Minutes];
        for (var i = 0; i < Minutes; i++)
        {
            var minute = currentMinute - Minutes + 1 + i;
            var slot = (int)(minute % Slots);
            counts[i] = Volatile.Read(ref _minuteOfSlot[slot]) == minute ? Volatile.Read(ref _counts[slot]) : 0;
        }

        return counts;
    }
}
