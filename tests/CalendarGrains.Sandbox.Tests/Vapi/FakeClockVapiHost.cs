using CalendarGrains.Sandbox.Vapi;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace CalendarGrains.Sandbox.Tests.Vapi;

/// <summary>
/// The Vapi emulator alone, on a free loopback port, with its clock replaced by a <see cref="FakeTimeProvider"/>
/// (registered before <c>AddVapiEmulator</c>, whose TryAdd keeps it): time moves only when a test says so.
/// </summary>
public sealed class FakeClockVapiHost : IAsyncLifetime
{
    private WebApplication _app = null!;

    public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2025, 6, 2, 9, 0, 0, TimeSpan.Zero));

    public VapiEmulator Vapi => _app.Services.GetRequiredService<VapiEmulator>();

    public HttpClient Http { get; private set; } = null!;

    public VapiClient Client => new(Http);

    public WebhookReceiver Receiver { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddSingleton<TimeProvider>(Clock);
        builder.Services.AddVapiEmulator();
        _app = builder.Build();
        _app.MapVapiEmulator("/vapi");
        await _app.StartAsync();
        Http = new HttpClient { BaseAddress = new Uri(_app.Urls.First()) };
        Receiver = await WebhookReceiver.StartAsync();
    }

    public void StartTest(VapiEmulatorSettings? settings = null)
    {
        Vapi.Reset();
        Receiver.Clear();
        if (settings is not null)
        {
            Vapi.Configure(_ => settings);
        }

        Vapi.RegisterAccount(VapiFixture.Key, serverUrl: Receiver.UrlFor("/org-server"), serverSecret: VapiFixture.OrgSecret);
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await Receiver.DisposeAsync();
        await _app.DisposeAsync();
    }
}
