using CalendarGrains.Sandbox.Vapi.Calls;

namespace CalendarGrains.Sandbox.Vapi;

public sealed partial class VapiEmulator
{
    /// <summary>
    /// The next <paramref name="count"/> <c>POST /call</c> requests (after authentication) answer
    /// <paramref name="statusCode"/> in Vapi's error shape and create nothing. A 429 may carry <c>Retry-After</c>.
    /// </summary>
    public void FailNextCreateCalls(int count, int statusCode, TimeSpan? retryAfter = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfLessThan(statusCode, 400);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(statusCode, 599);
        lock (_gate)
        {
            _faults.FailNext(count, new InjectedFailure(statusCode, retryAfter));
        }
    }

    /// <summary>
    /// The next <paramref name="count"/> calls are created and go on as usual, but the client gets no response:
    /// the connection is aborted (a timeout or network failure after Vapi acted, the case that tempts a blind retry).
    /// </summary>
    public void DropNextCreateCallResponses(int count = 1)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        lock (_gate)
        {
            _faults.DropNext(count);
        }
    }

    /// <summary>Calls to <paramref name="number"/> (customer number or SIP URI) end this way; null removes the entry.</summary>
    public void SetOutcomeForNumber(string number, VapiCallOutcome? outcome)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(number);
        lock (_gate)
        {
            if (outcome is null)
            {
                _outcomesByNumber.Remove(number);
            }
            else
            {
                _outcomesByNumber[number] = outcome;
            }
        }
    }

    public IReadOnlyDictionary<string, VapiCallOutcome> OutcomesByNumber()
    {
        lock (_gate)
        {
            return new Dictionary<string, VapiCallOutcome>(_outcomesByNumber, StringComparer.Ordinal);
        }
    }

    internal InjectedFailure? TakeInjectedFailure()
    {
        lock (_gate)
        {
            return _faults.TakeFailure();
        }
    }

    internal bool TakeDroppedResponse()
    {
        lock (_gate)
        {
            return _faults.TakeDrop();
        }
    }
}
