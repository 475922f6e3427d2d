namespace CalendarGrains.Sandbox.Google;

/// <summary>
/// A failure an endpoint answers instead of doing its work. <see cref="Error"/> is the error code
/// (the OAuth <c>error</c>, or a Calendar API <c>reason</c>); null asks for the status's usual one.
/// </summary>
internal sealed record InjectedFault(int Status, string? Error, string? ErrorDescription);

/// <summary>
/// Failures armed for the next requests of one emulated API (the token endpoint's
/// <see cref="GoogleEmulator.FailNext"/>, the Calendar API's own).
/// </summary>
internal sealed class ArmedFaults
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
