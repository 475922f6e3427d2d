namespace CalendarGrains.Tests.Infrastructure;

/// <summary>One sandbox-mode service shared by the tests of a class.</summary>
public sealed class SandboxHostFixture : IAsyncLifetime
{
    public ServiceHost Host { get; private set; } = null!;

    public async ValueTask InitializeAsync() => Host = await ServiceHost.StartAsync();

    public async ValueTask DisposeAsync() => await Host.DisposeAsync();
}
