namespace CalendarGrains.Sandbox.Vapi.Accounts;

/// <summary>
/// Accounts by private key and by org id. Not thread-safe: the emulator uses it under its lock.
/// Keys are compared ordinally, as opaque bearer tokens.
/// </summary>
internal sealed class AccountBook
{
    private readonly Dictionary<string, VapiAccount> _byKey = new(StringComparer.Ordinal);
    private readonly Dictionary<string, VapiAccount> _byOrg = new(StringComparer.Ordinal);

    public IEnumerable<VapiAccount> All => _byOrg.Values;

    /// <summary>Answers the key's account (updated) or a new org holding that key.</summary>
    public VapiAccount Register(string apiKey, int concurrencyLimit, Uri? serverUrl, string? serverSecret)
    {
        if (!_byKey.TryGetValue(apiKey, out var account))
        {
            account = new VapiAccount(Guid.NewGuid().ToString());
            _byKey[apiKey] = account;
            _byOrg[account.OrgId] = account;
        }

        account.ConcurrencyLimit = concurrencyLimit;
        account.ServerUrl = serverUrl;
        account.ServerSecret = serverSecret;
        return account;
    }

    public void AddKey(string orgId, string apiKey)
    {
        if (!_byOrg.TryGetValue(orgId, out var account))
        {
            throw new KeyNotFoundException($"No Vapi account has org id {orgId}.");
        }

        if (_byKey.TryGetValue(apiKey, out var owner) && owner != account)
        {
            throw new InvalidOperationException("That key already belongs to another org.");
        }

        _byKey[apiKey] = account;
    }

    public VapiAccount? FindByKey(string apiKey) => _byKey.GetValueOrDefault(apiKey);

    public VapiAccount? FindByOrg(string orgId) => _byOrg.GetValueOrDefault(orgId);
}
