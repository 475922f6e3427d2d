using CalendarGrains.Sandbox.Vapi.Accounts;
using CalendarGrains.Sandbox.Vapi.Calls;
using CalendarGrains.Sandbox.Vapi.Wire;

namespace CalendarGrains.Sandbox.Vapi;

public sealed partial class VapiEmulator
{
    /// <summary>A call as <c>GET /call/{id}</c> would show it, ignoring the visibility delay and the org; null if unknown.</summary>
    public VapiCall? FindCall(string callId)
    {
        lock (_gate)
        {
            return _calls.Find(callId)?.ToWire();
        }
    }

    /// <summary>Every call created since the last reset, oldest first, with the body the client sent.</summary>
    public IReadOnlyList<VapiCreatedCall> CreatedCalls()
    {
        lock (_gate)
        {
            return [.. _calls.All.Select(call => new VapiCreatedCall(
                call.Id, call.Account.OrgId, call.CreatedAt, call.Status, call.EndedReason, call.Request.Body))];
        }
    }

    /// <summary>The latest server-message delivery attempts, oldest first.</summary>
    public IReadOnlyList<VapiWebhookAttempt> WebhookAttempts() => _webhooks.RecentAttempts();

    /// <summary><c>GET /call/{id}</c>: only the org's own calls, and only once visible.</summary>
    internal VapiCall? GetVisibleCall(VapiAccount account, string callId)
    {
        lock (_gate)
        {
            var call = _calls.Find(callId);
            return call is not null && call.Account == account && IsVisibleLocked(call) ? call.ToWire() : null;
        }
    }

    /// <summary><c>GET /call</c>: newest first.</summary>
    internal IReadOnlyList<VapiCall> ListVisibleCalls(VapiAccount account, ListCallsQuery query)
    {
        lock (_gate)
        {
            return [.. _calls.All
                .Where(call => call.Account == account && IsVisibleLocked(call) && query.Matches(call))
                .OrderByDescending(call => call.CreatedAt)
                .ThenByDescending(call => call.Sequence)
                .Take(query.Limit)
                .Select(call => call.ToWire())];
        }
    }

    private bool IsVisibleLocked(EmulatedCall call) => _time.GetUtcNow() >= call.VisibleAt;
}
