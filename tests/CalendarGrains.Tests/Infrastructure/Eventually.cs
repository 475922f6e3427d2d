namespace CalendarGrains.Tests.Infrastructure;

/// <summary>Waits on a condition with a deadline: the tests' only way to wait (no fixed sleeps).</summary>
public static class Eventually
{
    public static async Task<T> HoldsAsync<T>(Func<Task<T>> probe, Func<T, bool> condition, TimeSpan? timeout = null, string? because = null)
    {
        var deadline = System.Diagnostics.Stopwatch.GetTimestamp() + (long)((timeout ?? TimeSpan.FromSeconds(30)).TotalSeconds * System.Diagnostics.Stopwatch.Frequency);
        T last;
        while (true)
        {
            try
            {
                last = await probe();
                if (condition(last))
                {
                    return last;
                }
            }
            catch (Exception) when (System.Diagnostics.Stopwatch.GetTimestamp() < deadline)
            {
                // The thing we wait on may not answer yet (a process starting): try again.
            }

            if (System.Diagnostics.Stopwatch.GetTimestamp() >= deadline)
            {
                throw new TimeoutException($"Condition not met within the deadline{(because is null ? "" : ": " + because)}.");
            }

            await Task.Delay(50);
        }
    }

    public static Task HoldsAsync(Func<Task<bool>> condition, TimeSpan? timeout = null, string? because = null) =>
        HoldsAsync(condition, ok => ok, timeout, because);
}
