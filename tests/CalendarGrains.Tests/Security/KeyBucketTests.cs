using CalendarGrains.Silo.Http;
using Microsoft.Extensions.Time.Testing;

namespace CalendarGrains.Tests.Security;

/// <summary>The per-key budget on the hot path: a burst, then one permit per refill interval, exactly, however many threads ask.</summary>
public sealed class KeyBucketTests
{
    private readonly FakeTimeProvider _time = new();

    [Fact]
    public void GrantsTheBurst_ThenRefuses_WithTheWaitForTheNextPermit()
    {
        var bucket = new KeyBucket(new RateLimit { Burst = 3, PermitsPerSecond = 4 }, _time);

        Assert.All(Enumerable.Range(0, 3), i => Assert.True(bucket.TryTake(out _), $"permit {i}"));
        Assert.False(bucket.TryTake(out var retryAfter));
        Assert.Equal(TimeSpan.FromMilliseconds(250), retryAfter);

        _time.Advance(TimeSpan.FromMilliseconds(249));
        Assert.False(bucket.TryTake(out _));
        _time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.True(bucket.TryTake(out _));
        Assert.False(bucket.TryTake(out _));
    }

    [Fact]
    public void RefillsNoFurtherThanTheBurst()
    {
        var bucket = new KeyBucket(new RateLimit { Burst = 2, PermitsPerSecond = 10 }, _time);
        _time.Advance(TimeSpan.FromHours(1));

        Assert.True(bucket.TryTake(out _));
        Assert.True(bucket.TryTake(out _));
        Assert.False(bucket.TryTake(out _));
    }

    [Fact]
    public async Task ConcurrentCallers_ShareExactlyTheBurst()
    {
        const int Burst = 10_000;
        var bucket = new KeyBucket(new RateLimit { Burst = Burst, PermitsPerSecond = 1 }, _time);
        var granted = 0;

        await Task.WhenAll(Enumerable.Range(0, 8).Select(thread => Task.Run(() =>
        {
            for (var i = 0; i < Burst / 2; i++)
            {
                if (bucket.TryTake(out _))
                {
                    Interlocked.Increment(ref granted);
                }
            }
        }, TestContext.Current.CancellationToken)));

        Assert.Equal(Burst, granted);
    }
}
