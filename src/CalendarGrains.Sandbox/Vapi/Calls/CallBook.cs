namespace CalendarGrains.Sandbox.Vapi.Calls;

/// <summary>
/// The calls the emulator remembers, oldest first. Not thread-safe: the emulator uses it under its lock.
/// Bounded: past <paramref name="capacity"/>, the oldest ended calls are forgotten.
/// </summary>
internal sealed class CallBook(int capacity)
{
    private readonly Dictionary<string, EmulatedCall> _byId = new(StringComparer.Ordinal);
    private readonly List<EmulatedCall> _inOrder = [];
    private long _lastSequence;

    public IReadOnlyList<EmulatedCall> All => _inOrder;

    public long NextSequence() => ++_lastSequence;

    public void Add(EmulatedCall call)
    {
        _byId.Add(call.Id, call);
        _inOrder.Add(call);
        if (_inOrder.Count > capacity)
        {
            ForgetOldestEnded(_inOrder.Count - capacity);
        }
    }

    public EmulatedCall? Find(string id) => _byId.GetValueOrDefault(id);

    public void Clear()
    {
        _byId.Clear();
        _inOrder.Clear();
    }

    private void ForgetOldestEnded(int count)
    {
        var forgotten = _inOrder.Where(call => call.IsEnded).Take(count).ToList();
        foreach (var call in forgotten)
        {
            _byId.Remove(call.Id);
            _inOrder.Remove(call);
        }
    }
}
