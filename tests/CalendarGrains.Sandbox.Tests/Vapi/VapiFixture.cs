using CalendarGrains.Sandbox.Vapi;

namespace CalendarGrains.Sandbox.Tests.Vapi;

/// <summary>
/// The emulators (through <see cref="EmulatorFixture"/>) plus a server-message receiver, shared by the
/// tests of one class. Each test starts from <see cref="StartTest"/>: a reset emulator in manual mode.
/// </summary>
public sealed class VapiFixture : IAsyncLifetime
{
    public const string Key = "vapi-private-key-1";
    public const string OtherOrgKey = "vapi-private-key-2";
    public const string OrgSecret = "org-default-secret";

    public EmulatorFixture Emulators { get; } = new();

    public WebhookReceiver Receiver { get; private set; } = null!;

    public VapiEmulator Vapi => Emulators.Vapi;

    public VapiClient Client => new(Emulators.Http);

    public string OrgId { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        await Emulators.InitializeAsync();
        Receiver = await WebhookReceiver.StartAsync();
    }

    /// <summary>A clean emulator in manual mode with our org (limit <paramref name="concurrencyLimit"/>, server = the receiver) and another org.</summary>
    public void StartTest(int concurrencyLimit = 10)
    {
        Vapi.Reset();
        Receiver.Clear();
        Vapi.Configure(settings => settings with { Lifecycle = VapiLifecycleMode.Manual });
        OrgId = Vapi.RegisterAccount(Key, concurrencyLimit, Receiver.UrlFor("/org-server"), OrgSecret).OrgId;
        Vapi.RegisterAccount(OtherOrgKey, serverUrl: Receiver.UrlFor("/other-org"));
    }

    public async ValueTask DisposeAsync()
    {
        await Receiver.DisposeAsync();
        await Emulators.DisposeAsync();
    }
}
