namespace CalendarGrains.Webhooks;

/// <summary>What recording an attempt did to its event.</summary>
internal enum AttemptRecorded
{
    /// <summary>The event is no longer pending (dropped while its attempt ran): nothing changed.</summary>
    Unknown,
    Delivered,
    WillRetry,
    GaveUp,
}

/// <summary>
/// The pending events of one outbox and the rules that move them: bounded (the oldest goes first),
/// kept in enqueue order, each retried on its own schedule until its retention deadline. It only
/// changes <see cref="WebhookOutboxState"/>; storing it, logging and HTTP are the grain's.
/// </summary>
internal sealed class WebhookQueue
{
    private readonly WebhookOutboxState _state;
    private readonly WebhookRetryPolicy _policy;
    private readonly int _capacity;
    private readonly HashSet<string> _ids = new(StringComparer.Ordinal);

    public WebhookQueue(WebhookOutboxState state, WebhookRetryPolicy policy, int capacity)
    {
        _state = state;
        _policy = policy;
        _capacity = capacity;
        foreach (var pending in state.Pending)
        {
            _ids.Add(pending.Event.Id);
        }
    }

    public int Count => _state.Pending.Count;

    public bool Contains(string eventId) => _ids.Contains(eventId);

    /// <summary>Appends the event, first dropping the oldest ones if the queue is full; returns those.</summary>
    public IReadOnlyList<PendingWebhook> Add(WebhookEvent webhookEvent, DateTimeOffset now)
    {
        var dropped = new List<PendingWebhook>();
        while (_state.Pending.Count >= _capacity)
        {
            dropped.Add(RemoveAt(0));
            _state.Dropped++;
        }

        _state.Pending.Add(new PendingWebhook(webhookEvent, now, Attempts: 0, NextAttemptAt: now, LastError: null));
        _ids.Add(webhookEvent.Id);
        return dropped;
    }

    /// <summary>Counts an event that was never queued (the tenant has nowhere to send it).</summary>
    public void CountDropped() => _state.Dropped++;

    /// <summary>Events whose next attempt is due, oldest first, skipping those <paramref name="busy"/> says are being attempted.</summary>
    public IEnumerable<PendingWebhook> Due(DateTimeOffset now, Func<string, bool> busy) =>
        _state.Pending.Where(pending => pending.NextAttemptAt <= now && !busy(pending.Event.Id));

    /// <summary>The earliest next attempt among the events not being attempted, or null.</summary>
    public DateTimeOffset? NextAttemptAt(Func<string, bool> busy)
    {
        DateTimeOffset? next = null;
        foreach (var pending in _state.Pending)
        {
            if (!busy(pending.Event.Id) && (next is null || pending.NextAttemptAt < next))
            {
                next = pending.NextAttemptAt;
            }
        }

        return next;
    }

    /// <summary>
    /// Applies an attempt's result: delivered events leave, failed ones get their next attempt or
    /// are given up. <c>random</c> is a sample in [0, 1) for the jitter.
    /// </summary>
    public (AttemptRecorded Recorded, PendingWebhook? Event) Record(string eventId, WebhookAttemptResult result, DateTimeOffset now, double random)
    {
        var index = _state.Pending.FindIndex(pending => string.Equals(pending.Event.Id, eventId, StringComparison.Ordinal));
        if (index < 0)
        {
            return (AttemptRecorded.Unknown, null);
        }

        var pending = _state.Pending[index] with { Attempts = _state.Pending[index].Attempts + 1, LastError = result.Error };
        if (result.Delivered)
        {
            RemoveAt(index);
            _state.Delivered++;
            return (AttemptRecorded.Delivered, pending);
        }

        _state.LastError = result.Error;
        if (_policy.NextAttempt(pending.Attempts, now, pending.FirstEnqueuedAt, random) is not { } next)
        {
            RemoveAt(index);
            _state.Dropped++;
            return (AttemptRecorded.GaveUp, pending);
        }

        _state.Pending[index] = pending with { NextAttemptAt = next };
        return (AttemptRecorded.WillRetry, _state.Pending[index]);
    }

    /// <summary>Drops the events past their retention deadline that are not being attempted; returns them.</summary>
    public IReadOnlyList<PendingWebhook> ExpireOverdue(DateTimeOffset now, Func<string, bool> busy)
    {
        var expired = new List<PendingWebhook>();
        for (var i = _state.Pending.Count - 1; i >= 0; i--)
        {
            var pending = _state.Pending[i];
            if (now > _policy.Deadline(pending.FirstEnqueuedAt) && !busy(pending.Event.Id))
            {
                expired.Add(RemoveAt(i));
                _state.Dropped++;
            }
        }

        return expired;
    }

    /// <summary>Drops everything (the tenant is gone or has no URL any more); returns how many.</summary>
    public int DropAll()
    {
        var count = _state.Pending.Count;
        _state.Pending.Clear();
        _ids.Clear();
        _state.Dropped += count;
        return count;
    }

    private PendingWebhook RemoveAt(int index)
    {
        var pending = _state.Pending[index];
        _state.Pending.RemoveAt(index);
        _ids.Remove(pending.Event.Id);
        return pending;
    }
}
