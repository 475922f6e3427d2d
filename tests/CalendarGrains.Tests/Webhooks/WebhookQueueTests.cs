using CalendarGrains.Webhooks;

namespace CalendarGrains.Tests.Webhooks;

public sealed class WebhookQueueTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 24, 9, 0, 0, TimeSpan.Zero);

    private static readonly Func<string, bool> NoneBusy = _ => false;

    private static WebhookQueue Queue(WebhookOutboxState state, int capacity = 3) =>
        new(state, new WebhookRetryPolicy(new WebhookOptions { Jitter = 0 }), capacity);

    private static WebhookEvent Event(string id) => new(id, WebhookEventTypes.CallEnded, Start, "{}");

    [Fact]
    public void Add_BeyondTheCapacity_DropsTheOldestFirst()
    {
        var state = new WebhookOutboxState();
        var queue = Queue(state);

        var dropped = new[] { "a", "b", "c", "d", "e" }.SelectMany(id => queue.Add(Event(id), Start)).ToList();

        Assert.Equal(["a", "b"], dropped.Select(p => p.Event.Id));
        Assert.Equal(["c", "d", "e"], state.Pending.Select(p => p.Event.Id));
        Assert.Equal(2, state.Dropped);
        Assert.False(queue.Contains("a"));
        Assert.True(queue.Contains("e"));
    }

    [Fact]
    public void Record_AFailure_SchedulesTheNextAttempt_AndASuccessRemovesTheEvent()
    {
        var state = new WebhookOutboxState();
        var queue = Queue(state);
        queue.Add(Event("a"), Start);
        queue.Add(Event("b"), Start);

        var (failed, retry) = queue.Record("a", WebhookAttemptResult.Failure("http_502", 502), Start, 0.5);
        var (delivered, _) = queue.Record("b", WebhookAttemptResult.Success(204), Start, 0.5);

        Assert.Equal(AttemptRecorded.WillRetry, failed);
        Assert.Equal(new PendingWebhook(Event("a"), Start, 1, Start.AddSeconds(5), "http_502"), retry);
        Assert.Equal(AttemptRecorded.Delivered, delivered);
        Assert.Equal(["a"], state.Pending.Select(p => p.Event.Id));
        Assert.Equal((1L, 0L, "http_502"), (state.Delivered, state.Dropped, state.LastError));
        Assert.Empty(queue.Due(Start.AddSeconds(4), NoneBusy));
        Assert.Single(queue.Due(Start.AddSeconds(5), NoneBusy));
        Assert.Empty(queue.Due(Start.AddSeconds(5), id => id == "a"));
        Assert.Equal(AttemptRecorded.Unknown, queue.Record("b", WebhookAttemptResult.Success(200), Start, 0.5).Recorded);
    }

    [Fact]
    public void ExpireOverdue_DropsOnlyWhatIsPastTheDeadline_AndNotBeingAttempted()
    {
        var state = new WebhookOutboxState();
        var queue = Queue(state);
        queue.Add(Event("old"), Start);
        queue.Add(Event("busy"), Start);
        queue.Add(Event("new"), Start.AddHours(2));

        var expired = queue.ExpireOverdue(Start.AddHours(72).AddSeconds(1), id => id == "busy");

        Assert.Equal(["old"], expired.Select(p => p.Event.Id));
        Assert.Equal(["busy", "new"], state.Pending.Select(p => p.Event.Id));
        Assert.Equal(1, state.Dropped);
    }
}
