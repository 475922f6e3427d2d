using CalendarGrains.Webhooks;

namespace CalendarGrains.Tests.Webhooks;

public sealed class WebhookQueueTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 24, 9, 0, 0, TimeSpan.Zero);

    private static readonly Func<string, bool> NoneBusy = _ => false;

    private static WebhookQueue Queue(WebhookStoreSnapshot? stored = null, int capacity = 3) =>
        new(stored ?? WebhookStoreSnapshot.Empty, new WebhookRetryPolicy(new WebhookOptions { Jitter = 0 }), capacity);

    private static WebhookEvent Event(string id) => new(id, WebhookEventTypes.CallEnded, Start, "{}");

    /// <summary>Enqueues as the grain does: prepare, work out the overflow, then add (once stored).</summary>
    private static IReadOnlyList<PendingWebhook> Enqueue(WebhookQueue queue, string id, DateTimeOffset at)
    {
        var pending = queue.Prepare(Event(id), at);
        return queue.Add(pending, [.. queue.Overflow().Select(oldest => oldest.Dropped(at, "queue_full"))]);
    }

    [Fact]
    public void Add_BeyondTheCapacity_DropsTheOldestFirst()
    {
        var queue = Queue();

        var dropped = new[] { "a", "b", "c", "d", "e" }.SelectMany(id => Enqueue(queue, id, Start)).ToList();

        Assert.Equal(["a", "b"], dropped.Select(p => p.EventId));
        Assert.Equal(["c", "d", "e"], queue.Due(Start, NoneBusy).Select(p => p.EventId));
        Assert.Equal(2, queue.Dropped);
        Assert.False(queue.Contains("a"));
        Assert.True(queue.Contains("e"));
        Assert.Equal(
            [("b", WebhookDeliveryStatus.Dropped, "queue_full"), ("a", WebhookDeliveryStatus.Dropped, "queue_full")],
            queue.Deliveries(10).Skip(3).Select(d => (d.EventId, d.Status, d.LastError)));
    }

    [Fact]
    public void Add_AnOverflowEventFinishedMeanwhile_IsNotCountedTwice()
    {
        var queue = Queue(capacity: 1);
        Enqueue(queue, "a", Start);
        var pending = queue.Prepare(Event("b"), Start);
        WebhookDelivery[] overflow = [.. queue.Overflow().Select(oldest => oldest.Dropped(Start, "queue_full"))];

        // While "b" is being stored, "a" is delivered.
        queue.Record("a", WebhookAttemptResult.Success(200), Start, 0.5);
        var dropped = queue.Add(pending, overflow);

        Assert.Empty(dropped);
        Assert.Equal((1L, 0L, 1), (queue.Delivered, queue.Dropped, queue.Count));
    }

    [Fact]
    public void Record_AFailure_SchedulesTheNextAttempt_AndASuccessRemovesTheEvent()
    {
        var queue = Queue();
        Enqueue(queue, "a", Start);
        Enqueue(queue, "b", Start);

        var (failed, retry, retryOutcome) = queue.Record("a", WebhookAttemptResult.Failure("http_502", 502), Start, 0.5);
        var (delivered, _, deliveredOutcome) = queue.Record("b", WebhookAttemptResult.Success(204), Start, 0.5);

        Assert.Equal(AttemptRecorded.WillRetry, failed);
        Assert.Equal(new PendingWebhook(Event("a"), Start, 1, Start.AddSeconds(5), "http_502", Sequence: 0, LastStatusCode: 502), retry);
        Assert.Null(retryOutcome);
        Assert.Equal(AttemptRecorded.Delivered, delivered);
        Assert.Equal(new WebhookDelivery("b", WebhookEventTypes.CallEnded, WebhookDeliveryStatus.Delivered, 1, null, 204, Start, null, Start, null), deliveredOutcome);
        Assert.Equal(["a"], queue.Due(Start.AddSeconds(5), NoneBusy).Select(p => p.EventId));
        Assert.Equal((1L, 0L, "http_502"), (queue.Delivered, queue.Dropped, queue.LastError));
        Assert.Empty(queue.Due(Start.AddSeconds(4), NoneBusy));
        Assert.Empty(queue.Due(Start.AddSeconds(5), id => id == "a"));
        Assert.Equal(AttemptRecorded.Unknown, queue.Record("b", WebhookAttemptResult.Success(200), Start, 0.5).Recorded);
    }

    [Fact]
    public void ExpireOverdue_DropsOnlyWhatIsPastTheDeadline_AndNotBeingAttempted()
    {
        var queue = Queue();
        Enqueue(queue, "old", Start);
        Enqueue(queue, "busy", Start);
        Enqueue(queue, "new", Start.AddHours(2));

        var expired = queue.ExpireOverdue(Start.AddHours(72).AddSeconds(1), id => id == "busy");

        Assert.Equal(["old"], expired.Select(p => p.Event.EventId));
        Assert.Equal("expired", expired[0].Outcome.LastError);
        Assert.Equal(["busy", "new"], queue.Due(Start.AddHours(80), NoneBusy).Select(p => p.EventId));
        Assert.Equal(1, queue.Dropped);
    }

    [Fact]
    public void New_FromAStoredSnapshot_KeepsEnqueueOrder_AndNumbersNewEventsAfterIt()
    {
        var stored = new WebhookStoreSnapshot(
            [new PendingWebhook(Event("second"), Start, 0, Start, null, Sequence: 8), new PendingWebhook(Event("first"), Start, 0, Start, null, Sequence: 3)],
            Delivered: 5, Dropped: 1, LastError: "timeout", Recent: []);

        var queue = Queue(stored, capacity: 10);
        var next = queue.Prepare(Event("third"), Start);

        Assert.Equal(["first", "second"], queue.Due(Start, NoneBusy).Select(p => p.EventId));
        Assert.Equal(9, next.Sequence);
        Assert.Equal((5L, 1L, "timeout"), (queue.Delivered, queue.Dropped, queue.LastError));
    }

    [Fact]
    public void Deliveries_ListFailedFirst_ThenWaiting_ThenTheLatestFinished_UpToTheLimit()
    {
        var queue = Queue(capacity: 10);
        foreach (var id in new[] { "waits", "fails-late", "fails-soon", "delivered" })
        {
            Enqueue(queue, id, Start);
        }

        // Two failures put the next attempt 30 s away; one, 5 s.
        queue.Record("fails-late", WebhookAttemptResult.Failure("http_500", 500), Start, 0.5);
        queue.Record("fails-late", WebhookAttemptResult.Failure("http_500", 500), Start, 0.5);
        queue.Record("fails-soon", WebhookAttemptResult.Failure("timeout"), Start, 0.5);
        queue.Record("delivered", WebhookAttemptResult.Success(200), Start, 0.5);

        var all = queue.Deliveries(10);

        Assert.Equal(["fails-soon", "fails-late", "waits", "delivered"], all.Select(d => d.EventId));
        Assert.Equal(
            [WebhookDeliveryStatus.Retrying, WebhookDeliveryStatus.Retrying, WebhookDeliveryStatus.Pending, WebhookDeliveryStatus.Delivered],
            all.Select(d => d.Status));
        Assert.Equal(("timeout", (int?)null), (all[0].LastError, all[0].LastStatusCode));
        Assert.Equal(("http_500", (int?)500), (all[1].LastError, all[1].LastStatusCode));
        Assert.Equal(["fails-soon", "fails-late"], queue.Deliveries(2).Select(d => d.EventId));
    }

    [Fact]
    public void MakeDue_BringsAWaitingRetryToNow_AndKnowsOnlyPendingEvents()
    {
        var queue = Queue();
        Enqueue(queue, "a", Start);
        queue.Record("a", WebhookAttemptResult.Failure("http_503", 503), Start, 0.5);
        var later = Start.AddSeconds(1);

        var due = queue.MakeDue("a", later);

        Assert.Equal(later, due!.NextAttemptAt);
        Assert.Equal(["a"], queue.Due(later, NoneBusy).Select(p => p.EventId));
        Assert.Null(queue.MakeDue("unknown", later));
    }
}
