using CalendarGrains.Common;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace CalendarGrains.Tests.Infrastructure;

/// <summary>
/// A sandbox-mode service whose product clock is a <see cref="FakeTimeProvider"/> (Orleans and
/// the emulators keep the real clock), so a test can make cached tokens expire at will.
/// </summary>
public sealed class FakeClockHostFixture : IAsyncLifetime
{
    public FakeTimeProvider Clock { get; } = new(TimeProvider.System.GetUtcNow());

    public ServiceHost Host { get; private set; } = null!;

    public async ValueTask InitializeAsync() =>
        Host = await ServiceHost.StartAsync(configure: builder => builder.Services.AddKeyedSingleton<TimeProvider>(ServiceTime.Key, Clock));

    public async ValueTask DisposeAsync() => await Host.DisposeAsync();
}
