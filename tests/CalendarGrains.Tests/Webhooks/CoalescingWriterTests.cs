using CalendarGrains.Tests.Infrastructure;
using CalendarGrains.Webhooks;

namespace CalendarGrains.Tests.Webhooks;

public sealed class CoalescingWriterTests
{
    [Fact]
    public async Task WriteAsync_WhileOneRuns_NeverOverlaps_AndFoldsTheWaitingOnesIntoOne()
    {
        var writes = new List<TaskCompletionSource>();
        var writer = new CoalescingWriter(() =>
        {
            var write = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            writes.Add(write);
            return write.Task;
        });

        var first = writer.WriteAsync();
        var second = writer.WriteAsync();
        var third = writer.WriteAsync();

        Assert.Single(writes);
        Assert.Same(second, third);
        writes[0].SetResult();
        await first;
        await Eventually.HoldsAsync(() => Task.FromResult(writes.Count == 2), TimeSpan.FromSeconds(5), "the queued write starts");
        Assert.False(second.IsCompleted);
        writes[1].SetResult();
        await second;
        Assert.Equal(2, writes.Count);
    }

    [Fact]
    public async Task WriteAsync_AfterAFailedWrite_StillWrites_AndReportsItsOwnOutcome()
    {
        var calls = 0;
        var writer = new CoalescingWriter(() => ++calls == 1 ? Task.FromException(new InvalidOperationException("storage down")) : Task.CompletedTask);

        await Assert.ThrowsAsync<InvalidOperationException>(writer.WriteAsync);
        await writer.WriteAsync();

        Assert.Equal(2, calls);
    }
}
