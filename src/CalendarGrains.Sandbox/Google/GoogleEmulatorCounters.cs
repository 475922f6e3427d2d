namespace CalendarGrains.Sandbox.Google;

/// <summary>Request counters, safe to bump from any request thread.</summary>
internal sealed class GoogleEmulatorCounters
{
    private long _tokenRequests;
    private long _codeExchanges;
    private long _refreshGrants;
    private long _revocations;
    private long _userInfoCalls;

    public long TokenRequests => Interlocked.Read(ref _tokenRequests);

    public long CodeExchanges => Interlocked.Read(ref _codeExchanges);

    public long RefreshGrants => Interlocked.Read(ref _refreshGrants);

    public long Revocations => Interlocked.Read(ref _revocations);

    public long UserInfoCalls => Interlocked.Read(ref _userInfoCalls);

    public void TokenRequest() => Interlocked.Increment(ref _tokenRequests);

    public void CodeExchange() => Interlocked.Increment(ref _codeExchanges);

    public void RefreshGrant() => Interlocked.Increment(ref _refreshGrants);

    public void Revoked(int grants) => Interlocked.Add(ref _revocations, grants);

    public void UserInfoCall() => Interlocked.Increment(ref _userInfoCalls);

    public void Clear()
    {
        Interlocked.Exchange(ref _tokenRequests, 0);
        Interlocked.Exchange(ref _codeExchanges, 0);
        Interlocked.Exchange(ref _refreshGrants, 0);
        Interlocked.Exchange(ref _revocations, 0);
        Interlocked.Exchange(ref _userInfoCalls, 0);
    }
}
