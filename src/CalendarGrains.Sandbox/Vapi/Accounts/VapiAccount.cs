namespace CalendarGrains.Sandbox.Vapi.Accounts;

/// <summary>One Vapi org: its concurrency pool and its default server. Guarded by the emulator's lock.</summary>
internal sealed class VapiAccount(string orgId)
{
    public string OrgId { get; } = orgId;

    public int ConcurrencyLimit { get; set; }

    public Uri? ServerUrl { get; set; }

    /// <summary>Sent as <c>X-Vapi-Secret</c> when the call's server object has no secret of its own.</summary>
    public string? ServerSecret { get; set; }

    public int LiveCalls { get; set; }

    public int MaxLiveCalls { get; set; }

    public void CountCallStarted()
    {
        LiveCalls++;
        MaxLiveCalls = Math.Max(MaxLiveCalls, LiveCalls);
    }

    public void CountCallEnded() => LiveCalls--;

    public VapiAccountInfo Snapshot() =>
        new(OrgId, ConcurrencyLimit, ServerUrl, ServerSecret is not null, LiveCalls, MaxLiveCalls);
}
