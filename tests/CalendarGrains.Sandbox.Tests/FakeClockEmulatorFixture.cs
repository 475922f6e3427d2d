using Microsoft.Extensions.Time.Testing;

namespace CalendarGrains.Sandbox.Tests;

/// <summary>The emulators on a <see cref="FakeTimeProvider"/>: tests move time with <see cref="Clock"/>.</summary>
public sealed class FakeClockEmulatorFixture : EmulatorFixture
{
    public FakeClockEmulatorFixture()
        : this(new FakeTimeProvider(new DateTimeOffset(2030, 1, 1, 9, 0, 0, TimeSpan.Zero)))
    {
    }

    private FakeClockEmulatorFixture(FakeTimeProvider clock)
        : base(clock) => Clock = clock;

    public FakeTimeProvider Clock { get; }
}
