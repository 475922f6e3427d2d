namespace CalendarGrains.Sandbox.Google;

/// <summary>A failure the token endpoint answers instead of doing its work.</summary>
internal sealed record InjectedFault(int Status, string? Error, string? ErrorDescription);

/// <summary>Failures armed for the next token requests (<see cref="GoogleEmulator.FailNext"/>).</summary>
internal sealed class TokenFaults
{
    private readonly Lock _gate = new();
    private InjectedFault? _fault;
    private int _remaining;

    public int Remaining
    {
        get
        {
            lock (_gate)
            {
                return _remaining;
            }
        }
    }

    public void Arm(int count, InjectedFault fault)
    {
        lock (_gate)
        {
            _remaining = count;
            _fault = count > 0 ? fault : null;
        }
    }

    public void Disarm() => Arm(0, new InjectedFault(0, null, null));

    public InjectedFault? TryTake()
    {
        lock (_gate)
        {
            if (_remaining == 0 || _fault is null)
            {
                return null;
            }

            _remaining--;
            return _fault;
        }
    }
}
