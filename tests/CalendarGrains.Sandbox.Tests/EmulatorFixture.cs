using CalendarGrains.Sandbox.Google;
using CalendarGrains.Sandbox.Vapi;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace CalendarGrains.Sandbox.Tests;

/// <summary>The emulators on a free loopback port, shared by the tests of a class.</summary>
public sealed class EmulatorFixture : IAsyncLifetime
{
    private WebApplication? _app;

    public Uri BaseUrl { get; private set; } = null!;

    public HttpClient Http { get; private set; } = null!;

    public GoogleEmulator Google => _app!.Services.GetRequiredService<GoogleEmulator>();

    public VapiEmulator Vapi => _app!.Services.GetRequiredService<VapiEmulator>();

    public async ValueTask InitializeAsync()
    {
        (_app, BaseUrl) = await EmulatorHost.StartOnFreePortAsync();
        Http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = BaseUrl };
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
    }
}
