namespace CalendarGrains.Sandbox.Vapi;

/// <summary>Whether emulated calls move on their own or only when a test steps them.</summary>
public enum VapiLifecycleMode
{
    /// <summary>Each call moves after the step delays in <see cref="VapiEmulatorSettings"/> (the sandbox).</summary>
    Automatic,

    /// <summary>Calls stay put until <see cref="VapiEmulator.AdvanceAsync"/> or <see cref="VapiEmulator.CompleteAsync"/> (tests).</summary>
    Manual,
}
