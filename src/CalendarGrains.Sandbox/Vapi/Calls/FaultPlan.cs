namespace CalendarGrains.Sandbox.Vapi.Calls;

/// <summary>A failure to answer instead of creating a call.</summary>
internal sealed record InjectedFailure(int StatusCode, TimeSpan? RetryAfter);

/// <summary>Faults queued by a test for the next <c>POST /call</c> requests. Not thread-safe: used under the emulator's lock.</summary>
internal sealed class FaultPlan
{
    private readonly Queue<InjectedFailure> _failures = new();
    private int _responsesToDrop;

    public void FailNext(int count, InjectedFailure failure)
    {
        for (var i = 0; i < count; i++)
        {
            _failures.Enqueue(failure);
        }
    }

    public InjectedFailure? TakeFailure() => _failures.TryDequeue(out var failure) ? failure : null;

    public void DropNext(int count) => _responsesToDrop += count;

    public bool TakeDrop()
    {
        if (_responsesToDrop == 0)
        {
            return false;
        }

        _responsesToDrop--;
        return true;
    }

    public void Clear()
    {
        _failures.Clear();
        _responsesToDrop = 0;
    }
}
