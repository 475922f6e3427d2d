using CalendarGrains.Common;

namespace CalendarGrains.Tests.Grains;

public sealed class DurableBackoffTests
{
    [Theory]
    [InlineData(1, 5)]
    [InlineData(2, 10)]
    [InlineData(4, 40)]
    [InlineData(7, 300)]
    [InlineData(1000, 300)]
    public void Exponential_DoublesFromTheFirstStep_UpToTheCap(int retry, int expectedSeconds) =>
        Assert.Equal(TimeSpan.FromSeconds(expectedSeconds), DurableBackoff.Exponential(TimeSpan.FromSeconds(5), TimeSpan.FromMinutes(5), retry));

    [Theory]
    [InlineData(0.0, 80)]
    [InlineData(0.5, 100)]
    [InlineData(0.999, 119.96)]
    public void Jitter_SpreadsUniformlyWithinTheFraction(double random, double expectedSeconds) =>
        Assert.Equal(expectedSeconds, DurableBackoff.Jitter(TimeSpan.FromSeconds(100), 0.2, random).TotalSeconds, precision: 2);

    [Fact]
    public void Jitter_BetweenBounds_NeverLeavesThem()
    {
        Assert.Equal(TimeSpan.FromSeconds(10), DurableBackoff.Jitter(TimeSpan.FromSeconds(10), 1.0, 1.2, 0));
        Assert.True(DurableBackoff.Jitter(TimeSpan.FromSeconds(10), 1.0, 1.2, 0.9999) < TimeSpan.FromSeconds(12));
    }
}
