using CalendarGrains.Sandbox.Google;
using CalendarGrains.Sandbox.Google.Calendar;
using CalendarGrains.Sandbox.Nango;
using CalendarGrains.Sandbox.Vapi;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace CalendarGrains.Sandbox.Tests;

/// <summary>The emulators on a free loopback port, shared by the tests of a class.</summary>
public class EmulatorFixture : IAsyncLifetime
{
    private readonly TimeProvider? _timeProvider;
    private WebApplication? _app;

    public EmulatorFixture()
        : this(timeProvider: null)
    {
    }

    /// <summary>Runs the emulators on <paramref name="timeProvider"/> instead of the system clock.</summary>
    protected EmulatorFixture(TimeProvider? timeProvider) => _timeProvider = timeProvider;

    public Uri BaseUrl { get; private set; } = null!;

    public HttpClient Http { get; private set; } = null!;

    public GoogleEmulator Google => _app!.Services.GetRequiredService<GoogleEmulator>();

    public GoogleCalendarEmulator Calendar => _app!.Services.GetRequiredService<GoogleCalendarEmulator>();

    public VapiEmulator Vapi => _app!.Services.GetRequiredService<VapiEmulator>();

    public NangoEmulator Nango => _app!.Services.GetRequiredService<NangoEmulator>();

    public async ValueTask InitializeAsync()
    {
        (_app, BaseUrl) = _timeProvider is null
            ? await EmulatorHost.StartOnFreePortAsync()
            : await StartWithClockAsync(_timeProvider);
        Http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = BaseUrl };
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }

        GC.SuppressFinalize(this);
    }

    /// <summary>
    /// The same emulators as <see cref="EmulatorHost"/>, with the clock registered first: the emulators
    /// add the system clock only when none is registered.
    /// </summary>
    private static async Task<(WebApplication App, Uri BaseUrl)> StartWithClockAsync(TimeProvider timeProvider)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Services.AddSingleton(timeProvider);
        builder.Services.AddEmulators();
        var app = builder.Build();
        app.MapEmulators(prefix: "");
        await app.StartAsync();
        return (app, new Uri(app.Urls.First()));
    }
}
