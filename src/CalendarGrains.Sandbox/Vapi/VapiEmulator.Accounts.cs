using System.Net.Http.Headers;
using CalendarGrains.Sandbox.Vapi.Accounts;

namespace CalendarGrains.Sandbox.Vapi;

public sealed partial class VapiEmulator
{
    public const int DefaultConcurrencyLimit = 10;

    /// <summary>
    /// Registers a Vapi org reachable with <paramref name="apiKey"/> (its private key); registering a known
    /// key again updates that org. <paramref name="serverUrl"/>/<paramref name="serverSecret"/> are the org's
    /// default server (Vapi's <c>org.serverUrl</c>), used when a call names no server of its own.
    /// </summary>
    public VapiAccountInfo RegisterAccount(string apiKey, int concurrencyLimit = DefaultConcurrencyLimit, Uri? serverUrl = null, string? serverSecret = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(apiKey);
        ArgumentOutOfRangeException.ThrowIfNegative(concurrencyLimit);
        if (serverUrl is not null && (!serverUrl.IsAbsoluteUri || (serverUrl.Scheme != Uri.UriSchemeHttp && serverUrl.Scheme != Uri.UriSchemeHttps)))
        {
            throw new ArgumentException("The server URL must be an absolute http(s) URL.", nameof(serverUrl));
        }

        lock (_gate)
        {
            return _accounts.Register(apiKey, concurrencyLimit, serverUrl, serverSecret).Snapshot();
        }
    }

    /// <summary>Adds another private key to an org (Vapi orgs can have several).</summary>
    public void AddApiKey(string orgId, string apiKey)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(orgId);
        ArgumentException.ThrowIfNullOrWhiteSpace(apiKey);
        lock (_gate)
        {
            _accounts.AddKey(orgId, apiKey);
        }
    }

    public IReadOnlyList<VapiAccountInfo> Accounts()
    {
        lock (_gate)
        {
            return [.. _accounts.All.Select(account => account.Snapshot())];
        }
    }

    public VapiAccountInfo? FindAccount(string orgId)
    {
        lock (_gate)
        {
            return _accounts.FindByOrg(orgId)?.Snapshot();
        }
    }

    /// <summary>The org of an <c>Authorization: Bearer &lt;private key&gt;</c> header, or null.</summary>
    internal VapiAccount? Authenticate(string? authorization)
    {
        if (!AuthenticationHeaderValue.TryParse(authorization, out var header) ||
            !string.Equals(header.Scheme, "Bearer", StringComparison.OrdinalIgnoreCase) ||
            string.IsNullOrWhiteSpace(header.Parameter))
        {
            return null;
        }

        lock (_gate)
        {
            return _accounts.FindByKey(header.Parameter.Trim());
        }
    }
}
