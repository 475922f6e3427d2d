using CalendarGrains.Indexing;

namespace CalendarGrains.Calls;

/// <summary>The ordered-index sets of calls: per tenant, per tenant and status, per tenant and connection; and each tenant's waiting line.</summary>
public static class CallIndexSets
{
    public static string All(string tenantId) => $"calls/{tenantId}";

    public static string ByStatus(string tenantId, CallStatus status) => $"calls/{tenantId}/status/{CallStatuses.WireName(status)}";

    public static string ByConnection(string tenantId, string connectionId) => $"calls/{tenantId}/connection/{connectionId}";

    /// <summary>The calls waiting for a slot, as <c>{ticket:D19}|{callId}</c>: ordinal order is arrival order.</summary>
    public static string Waiting(string tenantId) => $"calls/{tenantId}/waiting";

    public static string WaitingMember(long ticket, string callId) => $"{ticket:D19}|{callId}";

    public static bool TryParseWaitingMember(string member, out long ticket, out string callId)
    {
        var bar = member.IndexOf('|', StringComparison.Ordinal);
        callId = bar < 0 ? "" : member[(bar + 1)..];
        return long.TryParse(bar < 0 ? "" : member[..bar], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out ticket) && callId.Length > 0;
    }
}

/// <summary>
/// Keeps a call's place in the list indexes equal to its stored status: one idempotent "ensure"
/// (listed under this status and no other), so repeating it after any failure converges.
/// </summary>
public sealed class CallIndex(IOrderedIndex index)
{
    public Task EnsureAsync(CallDefinition call, string callId, CallStatus status)
    {
        List<string> memberOf = [CallIndexSets.All(call.TenantId), CallIndexSets.ByConnection(call.TenantId, call.ConnectionId)];
        List<string> notMemberOf = [];
        foreach (var candidate in Enum.GetValues<CallStatus>())
        {
            (candidate == status ? memberOf : notMemberOf).Add(CallIndexSets.ByStatus(call.TenantId, candidate));
        }

        return index.EnsureMembershipAsync(callId, memberOf, notMemberOf);
    }
}
