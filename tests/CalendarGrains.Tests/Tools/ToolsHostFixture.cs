using CalendarGrains.Common;
using CalendarGrains.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace CalendarGrains.Tests.Tools;

/// <summary>
/// A sandbox service whose product clock stands still at <see cref="Now"/> (Monday 5 January 2026,
/// 08:00 UTC), before every date the tool tests ask about: the tools never offer past times, and the
/// tests must not start failing as the real calendar passes their dates. Google's emulator keeps the
/// real clock, so its tokens stay valid.
/// </summary>
public sealed class ToolsHostFixture : IAsyncLifetime
{
    public static readonly DateTimeOffset Now = new(2026, 1, 5, 8, 0, 0, TimeSpan.Zero);

    public FakeTimeProvider Clock { get; } = new(Now);

    public ServiceHost Host { get; private set; } = null!;

    public async ValueTask InitializeAsync() =>
        Host = await ServiceHost.StartAsync(configure: builder => builder.Services.AddKeyedSingleton<TimeProvider>(ServiceTime.Key, Clock));

    public async ValueTask DisposeAsync() => await Host.DisposeAsync();
}
