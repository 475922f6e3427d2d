using System.Net;
using System.Net.Http.Json;
using CalendarGrains.Sandbox.Google;
using CalendarGrains.Testing;

namespace CalendarGrains.Tests.Cluster;

/// <summary>
/// What the multi-process tests share: silo settings that send Google and Vapi traffic to the
/// emulators, and connections holding real grants minted at the Google emulator.
/// </summary>
public static class EmulatedProviders
{
    /// <summary>Points a silo's Google and Vapi clients at the emulators served at <paramref name="emulatorUrl"/>.</summary>
    public static void PointAt(Dictionary<string, string?> settings, Uri emulatorUrl)
    {
        settings["Google:AuthorizationEndpoint"] = new Uri(emulatorUrl, "/google/o/oauth2/v2/auth").AbsoluteUri;
        settings["Google:TokenEndpoint"] = new Uri(emulatorUrl, "/google/token").AbsoluteUri;
        settings["Google:RevocationEndpoint"] = new Uri(emulatorUrl, "/google/revoke").AbsoluteUri;
        settings["Google:UserInfoEndpoint"] = new Uri(emulatorUrl, "/google/v1/userinfo").AbsoluteUri;
        settings["Vapi:BaseUrl"] = new Uri(emulatorUrl, "/vapi").AbsoluteUri;
    }

    /// <summary>A fresh Google client registered at the emulator, as a tenant's <c>google</c> settings.</summary>
    public static (string ClientId, string ClientSecret) RegisterClient(GoogleEmulator google, string name)
    {
        var client = ($"{name}.apps.googleusercontent.com", $"{name}-{Guid.NewGuid():N}");
        google.RegisterClient(client.Item1, client.Item2);
        return client;
    }

    /// <summary>
    /// Imports <paramref name="count"/> connections (<c>{prefix}-0</c>…) whose refresh tokens Google
    /// really issued, through each of <paramref name="tenantApis"/> in turn (grains start where they are first called).
    /// </summary>
    public static async Task<IReadOnlyList<string>> ImportConnectionsAsync(
        Uri emulatorUrl, (string ClientId, string ClientSecret) client, IReadOnlyList<HttpClient> tenantApis, string prefix, int count, CancellationToken cancellationToken)
    {
        using var browser = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
        var ids = new List<string>();
        for (var i = 0; i < count; i++)
        {
            var refreshToken = await GoogleGrants.MintRefreshTokenAsync(
                browser, new Uri(emulatorUrl, "/google/"), client.ClientId, client.ClientSecret, $"{prefix}-{i}@example.com", cancellationToken);
            using var imported = await tenantApis[i % tenantApis.Count].PostAsJsonAsync(
                "/v1/connections", new { id = $"{prefix}-{i}", endUserId = $"{prefix}-user-{i}", refreshToken }, cancellationToken);
            if (imported.StatusCode != HttpStatusCode.Created)
            {
                throw new InvalidOperationException($"Importing {prefix}-{i} answered {(int)imported.StatusCode}: {await imported.Content.ReadAsStringAsync(cancellationToken)}");
            }

            ids.Add($"{prefix}-{i}");
        }

        return ids;
    }
}
