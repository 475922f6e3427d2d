using System.Runtime.CompilerServices;
using CalendarGrains.Google;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace CalendarGrains.Tests.Security;

/// <summary>
/// A tenant's Google client secret lives only as long as the call that uses it: the OAuth client
/// keeps no flow (nor secret) per client, so the memory it holds does not grow with the tenants
/// it has served, and no secret stays readable in it for the life of the process.
/// </summary>
public sealed class GoogleClientSecretLifetimeTests
{
    private static readonly AuthorizationUrlRequest Request = new("https://t.example/v1/oauth/callback", ["openid", "email"], "cs_test.nonce", null);

    [Fact]
    public void BuildAuthorizationUrl_KeepsNoReferenceToTheClientSecret_OnceItReturns()
    {
        using var services = new ServiceCollection().AddGoogleOAuthHttpClients().BuildServiceProvider();
        var client = new GoogleOAuthClient(new Endpoints(), services.GetRequiredService<IHttpClientFactory>(), services.GetRequiredService<IHttpMessageHandlerFactory>(), TimeProvider.System, NullLogger<GoogleOAuthClient>.Instance);
        var secrets = Enumerable.Range(0, 50).Select(_ => UseOnce(client)).ToList();

        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();

        Assert.DoesNotContain(secrets, secret => secret.IsAlive);
    }

    /// <summary>Uses a secret no one else holds (a new string, never interned) and returns only a weak reference to it.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static WeakReference UseOnce(GoogleOAuthClient client)
    {
        var secret = string.Concat("gcs-", Guid.NewGuid().ToString("N"));
        var (url, _) = client.BuildAuthorizationUrl(new GoogleClientCredentials("client-" + Guid.NewGuid().ToString("N"), secret), Request);
        Assert.StartsWith("https://accounts.example/auth", url.AbsoluteUri, StringComparison.Ordinal);
        return new WeakReference(secret);
    }

    private sealed class Endpoints : IGoogleEndpoints
    {
        public Uri Authorization { get; } = new("https://accounts.example/auth");

        public Uri Token { get; } = new("https://oauth2.example/token");

        public Uri Revocation { get; } = new("https://oauth2.example/revoke");

        public Uri UserInfo { get; } = new("https://openid.example/userinfo");

        public Uri CalendarApi { get; } = new("https://calendar.example/v3");
    }
}
