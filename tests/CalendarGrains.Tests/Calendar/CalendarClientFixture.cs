using CalendarGrains.Google.Calendar;
using CalendarGrains.Google;
using CalendarGrains.Sandbox;
using CalendarGrains.Sandbox.Google;
using CalendarGrains.Sandbox.Google.Calendar;
using CalendarGrains.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CalendarGrains.Tests.Calendar;

/// <summary>
/// The Google emulators on a free loopback port and our <see cref="GoogleCalendarClient"/> pointed at them
/// through <see cref="IGoogleEndpoints"/>, as the service wires it, with every log line captured.
/// </summary>
public class CalendarClientFixture : IAsyncLifetime
{
    private const string ClientId = "calendar-tests.apps.googleusercontent.com";
    private const string RedirectUri = "http://127.0.0.1:5555/v1/oauth/callback";

    private WebApplication? _emulators;
    private ServiceProvider? _services;

    public GoogleEmulator Google => _emulators!.Services.GetRequiredService<GoogleEmulator>();

    public GoogleCalendarEmulator Calendar => _emulators!.Services.GetRequiredService<GoogleCalendarEmulator>();

    public SwitchableEndpoints Endpoints { get; } = new();

    public LogCapture Logs { get; } = new();

    public GoogleCalendarClient Client => _services!.GetRequiredService<GoogleCalendarClient>();

    public async ValueTask InitializeAsync()
    {
        (_emulators, var baseUrl) = await EmulatorHost.StartOnFreePortAsync();
        Google.RegisterClient(ClientId, "calendar-tests-secret");
        Endpoints.Google = new Uri(baseUrl, "/google/");

        var services = new ServiceCollection();
        services.AddLogging(logging => logging.AddProvider(Logs).SetMinimumLevel(LogLevel.Trace));
        services.AddSingleton<IGoogleEndpoints>(Endpoints);
        services.AddGoogleCalendarClient(Configure);
        _services = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }

    public async ValueTask DisposeAsync()
    {
        if (_services is not null)
        {
            await _services.DisposeAsync();
        }

        if (_emulators is not null)
        {
            await _emulators.DisposeAsync();
        }

        GC.SuppressFinalize(this);
    }

    /// <summary>
    /// An access token for a fresh account (named after <paramref name="name"/>) that consented to
    /// <paramref name="scopes"/>: the emulator's own consent and code exchange, minus the browser.
    /// </summary>
    public (string Email, string AccessToken) Connect(string name, params string[] scopes)
    {
        var email = $"{name}-{Guid.NewGuid():N}"[..(name.Length + 9)] + "@example.com";
        var client = Google.FindClient(ClientId)!;
        var consent = new ValidAuthorizeRequest(client, RedirectUri, ["openid", "email", .. scopes], null, false, false, false, false, null, null);
        var code = Google.Approve(consent, email);
        var error = Google.ExchangeCode(client, code.Value, RedirectUri, null, out var tokens);
        Assert.Null(error);
        return (email, tokens!.AccessToken);
    }

    /// <summary>Short back-offs so retries are quick; generous attempt timeouts so a busy machine does not flake.</summary>
    protected virtual void Configure(GoogleCalendarClientOptions options)
    {
        options.AttemptTimeout = TimeSpan.FromSeconds(5);
        options.ReadRetryDelay = TimeSpan.FromMilliseconds(10);
        options.ReadRetryMaxDelay = TimeSpan.FromMilliseconds(50);
    }
}

/// <summary>Attempts time out fast, so a slow emulator shows the timeouts.</summary>
public sealed class FastTimeoutCalendarClientFixture : CalendarClientFixture
{
    protected override void Configure(GoogleCalendarClientOptions options)
    {
        base.Configure(options);
        // Note: long enough for a request to reach the emulator on a loaded 2-core machine (at 500 ms,
        // a CI run under load 50 timed out before Google saw either attempt), short against its 1-minute latency.
        options.AttemptTimeout = TimeSpan.FromSeconds(2);
        options.ReadRetries = 1;
        options.ReadTotalTimeout = TimeSpan.FromSeconds(20);
    }
}

/// <summary>Google's endpoints under one base URL that a test can move (the client must read it on every call).</summary>
public sealed class SwitchableEndpoints : IGoogleEndpoints
{
    public const string Calendar = "https://www.googleapis.com/auth/calendar";

    private Uri _google = new("http://127.0.0.1:1/google/");

    public Uri Google
    {
        get => Volatile.Read(ref _google);
        set => Volatile.Write(ref _google, value);
    }

    public Uri Authorization => new(Google, "o/oauth2/v2/auth");

    public Uri Token => new(Google, "token");

    public Uri Revocation => new(Google, "revoke");

    public Uri UserInfo => new(Google, "v1/userinfo");

    public Uri CalendarApi => new(Google, "calendar/v3");
}
