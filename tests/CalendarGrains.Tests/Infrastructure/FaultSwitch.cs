namespace CalendarGrains.Tests.Infrastructure;

/// <summary>
/// A fault a test arms and a decorator consults: the next N operations whose subject matches fail
/// (with <see cref="InjectedFaultException"/>), then everything works again.
/// </summary>
public sealed class FaultSwitch
{
    private readonly Lock _gate = new();
    private int _left;
    private Func<string, bool> _applies = _ => false;
    private int _injected;

    /// <summary>Faults thrown so far.</summary>
    public int Injected => Volatile.Read(ref _injected);

    /// <summary>The next <paramref name="count"/> operations whose subject contains <paramref name="subjectContains"/> fail.</summary>
    public void FailNext(int count, string subjectContains)
    {
        lock (_gate)
        {
            _left = count;
            _applies = subject => subject.Contains(subjectContains, StringComparison.Ordinal);
        }
    }

    /// <summary>Every matching operation fails until <see cref="Heal"/>.</summary>
    public void FailAll(string subjectContains) => FailNext(int.MaxValue, subjectContains);

    public void Heal()
    {
        lock (_gate)
        {
            _left = 0;
        }
    }

    public void ThrowIfArmed(string subject)
    {
        lock (_gate)
        {
            if (_left <= 0 || !_applies(subject))
            {
                return;
            }

            _left--;
            _injected++;
        }

        throw new InjectedFaultException(subject);
    }
}

public sealed class InjectedFaultException(string subject) : Exception($"Injected fault: {subject}");
