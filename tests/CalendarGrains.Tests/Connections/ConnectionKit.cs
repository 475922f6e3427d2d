using System.Net;
using System.Net.Http.Json;
using CalendarGrains.Sandbox.Google;
using CalendarGrains.Silo.Connections;
using CalendarGrains.Silo.Tenants;
using CalendarGrains.Testing;
using CalendarGrains.Tests.Infrastructure;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;

namespace CalendarGrains.Tests.Connections;

/// <summary>A tenant whose Google client is registered at the emulator, and a browser for its end users.</summary>
public sealed class ConnectionKit(ServiceHost host, GoogleEmulator google, TenantCreatedResponse tenant, string clientSecret) : IDisposable
{
    public const string ReturnUrl = "https://acme.example/connected";

    private readonly HttpClient _browser = new(new HttpClientHandler { AllowAutoRedirect = false });

    public ServiceHost Host => host;

    public GoogleEmulator Google => google;

    public TenantCreatedResponse Tenant => tenant;

    public HttpClient Api { get; } = host.Client(tenant.ApiKey);

    /// <summary>Creates a tenant on <paramref name="host"/> whose client <paramref name="google"/> knows (default: the host's own sandbox emulator).</summary>
    public static async Task<ConnectionKit> CreateAsync(ServiceHost host, GoogleEmulator? google = null, string? webhookUrl = null)
    {
        google ??= host.Services.GetRequiredService<GoogleEmulator>();
        var clientId = $"acme-{Guid.NewGuid():N}.apps.googleusercontent.com";
        var clientSecret = "gcs-" + Guid.NewGuid().ToString("N");
        google.RegisterClient(clientId, clientSecret);
        var definition = new
        {
            name = "Acme",
            google = new { clientId, clientSecret, scopes = new[] { "https://www.googleapis.com/auth/calendar" } },
            vapi = new { apiKey = "vapi-" + Guid.NewGuid().ToString("N"), concurrencyLimit = 3 },
            allowedReturnUrls = new[] { ReturnUrl },
            webhookUrl,
        };
        return new ConnectionKit(host, google, await TestTenants.CreateAsync(host, definition), clientSecret);
    }

    /// <summary>Creates a connect session and answers its connect URL.</summary>
    public async Task<Uri> StartSessionAsync(string endUserId)
    {
        var response = await Api.PostAsJsonAsync("/v1/connect-sessions", new { endUserId, returnUrl = ReturnUrl }, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var session = await response.Content.ReadFromJsonAsync<ConnectSessionResponse>(TestContext.Current.CancellationToken);
        return new Uri(session!.ConnectUrl);
    }

    /// <summary>The browser follows the connect URL to Google's consent page and answers its address.</summary>
    public async Task<Uri> FollowToGoogleAsync(Uri connectUrl)
    {
        var toGoogle = await _browser.GetAsync(connectUrl, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Redirect, toGoogle.StatusCode);
        return toGoogle.Headers.Location!;
    }

    /// <summary>The user approves at the emulator; answers our callback URL (where Google redirects).</summary>
    public Task<Uri> ApproveAsync(Uri consentUrl, string email) => GoogleConsent.ApproveAsync(_browser, consentUrl, email, TestContext.Current.CancellationToken);

    /// <summary>The browser arrives at our callback; answers the response (a redirect to the return URL, or a problem).</summary>
    public Task<HttpResponseMessage> CallbackAsync(Uri callbackUrl) => _browser.GetAsync(callbackUrl, TestContext.Current.CancellationToken);

    /// <summary>The whole walk: session, Google's consent, our callback; answers the connection id.</summary>
    public async Task<string> ConnectAsync(string endUserId, string email)
    {
        var callback = await ApproveAsync(await FollowToGoogleAsync(await StartSessionAsync(endUserId)), email);
        var back = await CallbackAsync(callback);
        Assert.Equal(HttpStatusCode.Redirect, back.StatusCode);
        var query = ReturnQuery(back);
        Assert.False(query.ContainsKey("error"), $"connect failed: {back.Headers.Location}");
        return query["connectionId"];
    }

    public static Dictionary<string, string> ReturnQuery(HttpResponseMessage redirect)
    {
        var location = redirect.Headers.Location!;
        Assert.StartsWith(ReturnUrl, location.AbsoluteUri, StringComparison.Ordinal);
        return QueryHelpers.ParseQuery(location.Query).ToDictionary(p => p.Key, p => p.Value.ToString(), StringComparer.Ordinal);
    }

    /// <summary>
    /// A refresh token for this tenant's client minted straight at the emulator, as another
    /// system (Nango) would hold it: consent, then the code exchange, without our service.
    /// </summary>
    public Task<string> MintRefreshTokenAsync(string email, Uri? googleBase = null) =>
        GoogleGrants.MintRefreshTokenAsync(_browser, googleBase ?? new Uri(host.BaseUrl, "/sandbox/google/"), tenant.Google.ClientId, clientSecret, email, TestContext.Current.CancellationToken);

    public async Task<HttpResponseMessage> TokenAsync(string connectionId, int? minValiditySeconds = null, bool? forceRefresh = null, HttpClient? client = null) =>
        await (client ?? Api).PostAsJsonAsync($"/v1/connections/{connectionId}/token", new { minValiditySeconds, forceRefresh }, TestContext.Current.CancellationToken);

    public async Task<AccessTokenResponse> TokenOkAsync(string connectionId, int? minValiditySeconds = null, bool? forceRefresh = null)
    {
        var response = await TokenAsync(connectionId, minValiditySeconds, forceRefresh);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<AccessTokenResponse>(TestContext.Current.CancellationToken))!;
    }

    public void Dispose()
    {
        _browser.Dispose();
        Api.Dispose();
    }
}
