namespace CalendarGrains.Sandbox;

/// <summary>
/// Runs the emulators on their own, e.g.
/// <c>dotnet run --project src/CalendarGrains.Sandbox -- --urls http://127.0.0.1:9090</c>;
/// each one is served under its own prefix (<c>/google</c>, ...).
/// </summary>
public static class SandboxProgram
{
    public static async Task Main(string[] args)
    {
        await using var app = EmulatorHost.Build(args);
        await app.RunAsync();
    }
}
