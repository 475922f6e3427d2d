using System.Diagnostics;
using CalendarGrains.Google;
using Google.Apis.Auth.OAuth2;
using Google.Apis.Auth.OAuth2.Flows;
using Microsoft.Extensions.Logging.Abstractions;

namespace CalendarGrains.Benchmarks;

/// <summary>
/// What building a Google.Apis.Auth flow per operation costs (<see cref="GoogleOAuthClient"/> keeps
/// none, so no client secret outlives its call): a flow built and disposed as the client does
/// (its HTTP through one shared handler), beside the whole of <c>BuildAuthorizationUrl</c> (a
/// flow, a PKCE verifier and a URL), the cheapest operation that uses one. No network.
/// </summary>
public static class GoogleFlowCost
{
    public static void Print(int calls = 100_000)
    {
        using var shared = new HttpMessageInvoker(new SocketsHttpHandler());
        var flow = Measure(calls, i =>
        {
            using var built = new PkceGoogleAuthorizationCodeFlow(new Initializer(shared, "secret-" + (i % 100)));
        });

        using var services = new ServiceCollection().AddGoogleOAuthHttpClients().BuildServiceProvider();
        var client = new GoogleOAuthClient(new Endpoints(), services.GetRequiredService<IHttpClientFactory>(), services.GetRequiredService<IHttpMessageHandlerFactory>(), TimeProvider.System, NullLogger<GoogleOAuthClient>.Instance);
        var request = new AuthorizationUrlRequest("https://bench.example/v1/oauth/callback", ["openid", "email"], "cs_bench.nonce", null);
        var url = Measure(calls, i => client.BuildAuthorizationUrl(new GoogleClientCredentials("bench.apps.googleusercontent.com", "secret-" + (i % 100)), request));

        Console.WriteLine(FormattableString.Invariant($"Google flow built and disposed: {flow.Micros:F1} µs, {flow.Bytes:N0} bytes allocated; BuildAuthorizationUrl (a flow, PKCE, the URL): {url.Micros:F1} µs, {url.Bytes:N0} bytes; {calls:N0} calls each"));
    }

    private static (double Micros, double Bytes) Measure(int calls, Action<int> call)
    {
        for (var i = 0; i < calls / 5; i++)
        {
            call(i); // warm-up: tiered JIT
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread();
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < calls; i++)
        {
            call(i);
        }

        return (clock.Elapsed.TotalMicroseconds / calls, (GC.GetAllocatedBytesForCurrentThread() - allocated) / (double)calls);
    }

    /// <summary>As the client builds its flows: its endpoints, the secret, no library back-off, HTTP through a shared handler.</summary>
    private sealed class Initializer : GoogleAuthorizationCodeFlow.Initializer
    {
        public Initializer(HttpMessageInvoker shared, string secret)
            : base("https://accounts.google.com/o/oauth2/v2/auth", "https://oauth2.googleapis.com/token", "https://oauth2.googleapis.com/revoke")
        {
            ClientSecrets = new ClientSecrets { ClientId = "bench.apps.googleusercontent.com", ClientSecret = secret };
            HttpClientFactory = new Forwarding(shared);
            DefaultExponentialBackOffPolicy = global::Google.Apis.Http.ExponentialBackOffPolicy.None;
        }
    }

    private sealed class Forwarding(HttpMessageInvoker shared) : global::Google.Apis.Http.HttpClientFactory
    {
        protected override HttpMessageHandler CreateHandler(global::Google.Apis.Http.CreateHttpClientArgs args) => new Handler(shared);

        private sealed class Handler(HttpMessageInvoker shared) : HttpMessageHandler
        {
            protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
                shared.SendAsync(request, cancellationToken);
        }
    }

    private sealed class Endpoints : IGoogleEndpoints
    {
        public Uri Authorization { get; } = new("https://accounts.google.com/o/oauth2/v2/auth");

        public Uri Token { get; } = new("https://oauth2.googleapis.com/token");

        public Uri Revocation { get; } = new("https://oauth2.googleapis.com/revoke");

        public Uri UserInfo { get; } = new("https://openidconnect.googleapis.com/v1/userinfo");

        public Uri CalendarApi { get; } = new("https://www.googleapis.com/calendar/v3");
    }
}
