using System.Net.Http.Headers;
using System.Security.Cryptography;
using CalendarGrains.Sandbox.Host;
using CalendarGrains.Silo.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CalendarGrains.Tests.Infrastructure;

/// <summary>
/// The real service (silo + HTTP API, <see cref="CalendarGrainsApp"/>) in this process, on free
/// loopback ports, with its logs captured. Built as the sandbox host builds it (<see cref="SandboxHostApp"/>):
/// sandbox mode (one silo in memory, the emulators) by default; Redis mode with <see cref="InRedisMode"/>
/// (emulators only with <c>Sandbox:Enabled</c>), which is then the production service.
/// </summary>
public sealed class ServiceHost : IAsyncDisposable
{
    public const string AdminKey = "cga_test-admin-key-0123456789abcdef";

    private ServiceHost(WebApplication app, LogCapture logs)
    {
        App = app;
        Logs = logs;
        BaseUrl = new Uri(app.Urls.First());
        Http = Client(null);
        Admin = Client(AdminKey);
    }

    public WebApplication App { get; }

    public IServiceProvider Services => App.Services;

    public LogCapture Logs { get; }

    public Uri BaseUrl { get; }

    /// <summary>No credentials.</summary>
    public HttpClient Http { get; }

    /// <summary>With the admin key.</summary>
    public HttpClient Admin { get; }

    public IGrainFactory Grains => Services.GetRequiredService<IGrainFactory>();

    /// <summary>
    /// Settings for Redis mode, isolated from other tests by a fresh service id. <see cref="StartAsync"/>
    /// and <see cref="SiloProcess"/> add <c>PublicBaseUrl</c> (their own loopback URL) and
    /// <c>AllowInsecurePublicBaseUrl</c>; set <c>PublicBaseUrl</c> to null to start without it.
    /// </summary>
    public static Dictionary<string, string?> InRedisMode(RedisServer redis, string? serviceId = null, string? encryptionKey = null) => new()
    {
        ["Redis:ConnectionString"] = redis.ConnectionString,
        ["Orleans:ServiceId"] = serviceId ?? "test-" + Guid.NewGuid().ToString("N")[..12],
        ["Orleans:ClusterId"] = "test",
        ["Orleans:AdvertisedIPAddress"] = "127.0.0.1",
        ["Encryption:ActiveKeyId"] = "k1",
        ["Encryption:Keys:k1"] = encryptionKey ?? NewEncryptionKey(),
    };

    public static string NewEncryptionKey() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    public static async Task<ServiceHost> StartAsync(IReadOnlyDictionary<string, string?>? settings = null, Action<WebApplicationBuilder>? configure = null)
    {
        var all = new Dictionary<string, string?>
        {
            ["urls"] = "http://127.0.0.1:0",
            ["Admin:ApiKey"] = AdminKey,
            ["Orleans:SiloPort"] = FreePort.Next().ToString(),
            ["Orleans:GatewayPort"] = FreePort.Next().ToString(),
            ["Shutdown:DrainSeconds"] = "0", // tests stop at once unless they test draining
        };
        settings ??= new Dictionary<string, string?>();
        if (!string.IsNullOrEmpty(settings.GetValueOrDefault("Redis:ConnectionString")))
        {
            // Redis mode requires PublicBaseUrl, so the port must be known before the start: a
            // free one, unless the test chose its own (a null PublicBaseUrl leaves it unset).
            var url = $"http://127.0.0.1:{FreePort.Next()}";
            all["urls"] = url;
            all["PublicBaseUrl"] = settings.GetValueOrDefault("urls") ?? url;
            all["AllowInsecurePublicBaseUrl"] = "true";
        }

        foreach (var (key, value) in settings)
        {
            all[key] = value;
        }

        var logs = new LogCapture();
        var app = SandboxHostApp.Build(
            [.. all.Where(pair => pair.Value is not null).Select(pair => $"--{pair.Key}={pair.Value}")],
            builder =>
            {
                builder.Logging.AddProvider(logs);
                builder.Logging.SetMinimumLevel(LogLevel.Debug);
                configure?.Invoke(builder);
            });
        await app.StartAsync(TestContext.Current.CancellationToken);
        return new ServiceHost(app, logs);
    }

    public HttpClient Client(string? bearer)
    {
        var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = BaseUrl };
        if (bearer is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        }

        return client;
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        Admin.Dispose();
        await App.StopAsync(CancellationToken.None);
        await App.DisposeAsync();
    }
}
