using CalendarGrains.Sandbox.Vapi;

namespace CalendarGrains.Tests.Calls;

/// <summary>The emulator settings the call tests use: calls that stay put, or calls that run their course in a blink.</summary>
public static class EmulatorSettings
{
    /// <summary>Calls move only when a test steps them.</summary>
    public static VapiEmulatorSettings Manual { get; } = new() { Lifecycle = VapiLifecycleMode.Manual };

    /// <summary>Queued, ringing and talking in about a tenth of a second.</summary>
    public static VapiEmulatorSettings Fast { get; } = new()
    {
        QueuedDuration = TimeSpan.FromMilliseconds(20),
        RingingDuration = TimeSpan.FromMilliseconds(30),
        InProgressDuration = TimeSpan.FromMilliseconds(60),
    };

    public static void Use(this VapiEmulator emulator, VapiEmulatorSettings settings) => emulator.Configure(_ => settings);
}
