namespace CalendarGrains.Webhooks;

/// <summary>
/// Runs a state write one at a time and folds the requests that arrive while one is running into a
/// single next write. For a grain whose methods interleave: two concurrent WriteStateAsync calls
/// would carry the same ETag and one would fail, so writes must not overlap; and since a write
/// stores whatever the state is when it starts, one write that starts after a change covers every
/// change made before it.
/// </summary>
/// <remarks>Not thread-safe: call it from the grain's own scheduler only.</remarks>
internal sealed class CoalescingWriter(Func<Task> write)
{
    private Task _running = Task.CompletedTask;
    private TaskCompletionSource? _queued;

    /// <summary>Completes when a write that started after this call has finished (or throws what it threw).</summary>
    public Task WriteAsync()
    {
        if (_queued is { } queued)
        {
            // A write is waiting to start: it will store this caller's change too.
            return queued.Task;
        }

        if (_running.IsCompleted)
        {
            return _running = write();
        }

        var next = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _queued = next;
        _ = RunAfterAsync(_running, next);
        return next.Task;
    }

    private async Task RunAfterAsync(Task previous, TaskCompletionSource next)
    {
        try
        {
            await previous;
        }
        catch (Exception)
        {
            // Its own callers observe it; this write still has to happen.
        }

        _queued = null;
        var task = write();
        _running = task;
        try
        {
            await task;
            next.SetResult();
        }
        catch (Exception exception)
        {
            next.SetException(exception);
        }
    }
}
