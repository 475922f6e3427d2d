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
/// An outbox's pending events in memory and the rules that move them: bounded (the oldest goes
/// first), kept in enqueue order, each retried on its own schedule until its retention deadline;
/// with the counters and the latest outcomes. It only changes memory: storing each change in
/// <see cref="IWebhookStore"/>, logging and HTTP are the grain's.
/// </summary>
internal sealed class WebhookQueue
{
    private readonly WebhookRetryPolicy _policy;
    private readonly int _capacity;
    private readonly LinkedList<PendingWebhook> _order = new();
    private readonly Dictionary<string, LinkedListNode<PendingWebhook>> _byId = new(StringComparer.Ordinal);
    private readonly LinkedList<WebhookDelivery> _recent = new();
    private long _nextSequence;

    public WebhookQueue(WebhookStoreSnapshot stored, WebhookRetryPolicy policy, int capacity)
    {
        _policy = policy;
        _capacity = capacity;
        foreach (var pending in stored.Pending.OrderBy(p => p.Sequence))
        {
            _byId[pending.EventId] = _order.AddLast(pending);
        }

        _nextSequence = _order.Last is { } last ? last.Value.Sequence + 1 : 0;
        foreach (var outcome in stored.Recent.Take(WebhookDeliveries.MaxLimit))
        {
            _recent.AddLast(outcome);
        }

        Delivered = stored.Delivered;
        Dropped = stored.Dropped;
        LastError = stored.LastError;
    }

    public int Count => _order.Count;

    public long Delivered { get; private set; }

    public long Dropped { get; private set; }

    /// <summary>The latest failure of any event: a status (<c>http_503</c>) or an error kind, never a body, URL or secret.</summary>
    public string? LastError { get; private set; }

    public bool Contains(string eventId) => _byId.ContainsKey(eventId);

    public PendingWebhook? Find(string eventId) => _byId.TryGetValue(eventId, out var node) ? node.Value : null;

    /// <summary>A new pending event, due now, placed after every event enqueued so far. Not added: see <see cref="Add"/>.</summary>
    public PendingWebhook Prepare(WebhookEvent webhookEvent, DateTimeOffset now) =>
        new(webhookEvent, now, Attempts: 0, NextAttemptAt: now, LastError: null, Sequence: _nextSequence++);

    /// <summary>The oldest events that must go so that one more fits, oldest first.</summary>
    public IReadOnlyList<PendingWebhook> Overflow() => [.. _order.Take(Math.Max(0, _order.Count - _capacity + 1))];

    /// <summary>Adds a prepared event once it is stored, first dropping <paramref name="overflow"/> (those still pending); returns those dropped.</summary>
    public IReadOnlyList<PendingWebhook> Add(PendingWebhook pending, IReadOnlyList<WebhookDelivery> overflow)
    {
        var dropped = new List<PendingWebhook>();
        foreach (var outcome in overflow)
        {
            if (Remove(outcome.EventId) is { } removed)
            {
                dropped.Add(removed);
                Finish(outcome);
            }
        }

        _byId[pending.EventId] = _order.AddLast(pending);
        return dropped;
    }

    /// <summary>Counts an event that was never queued (the tenant has nowhere to send it).</summary>
    public void Refused(WebhookDelivery outcome) => Finish(outcome);

    /// <summary>Events whose next attempt is due, oldest first, skipping those <paramref name="busy"/> says are being attempted.</summary>
    public IEnumerable<PendingWebhook> Due(DateTimeOffset now, Func<string, bool> busy) =>
        _order.Where(pending => pending.NextAttemptAt <= now && !busy(pending.EventId));

    /// <summary>The earliest next attempt among the events not being attempted, or null.</summary>
    public DateTimeOffset? NextAttemptAt(Func<string, bool> busy)
    {
        DateTimeOffset? next = null;
        foreach (var pending in _order)
        {
            if (!busy(pending.EventId) && (next is null || pending.NextAttemptAt < next))
            {
                next = pending.NextAttemptAt;
            }
        }

        return next;
    }

    /// <summary>
    /// Applies an attempt's result: delivered events leave, failed ones get their next attempt or
    /// are given up. <c>random</c> is a sample in [0, 1) for the jitter. The outcome is set for
    /// an event that left (what to store and show).
    /// </summary>
    public (AttemptRecorded Recorded, PendingWebhook? Event, WebhookDelivery? Outcome) Record(string eventId, WebhookAttemptResult result, DateTimeOffset now, double random)
    {
        if (!_byId.TryGetValue(eventId, out var node))
        {
            return (AttemptRecorded.Unknown, null, null);
        }

        var pending = node.Value with
        {
            Attempts = node.Value.Attempts + 1,
            LastError = result.Error,
            LastStatusCode = result.StatusCode > 0 ? result.StatusCode : node.Value.LastStatusCode,
        };
        if (result.Delivered)
        {
            Remove(eventId);
            var delivered = pending.Delivered(now);
            Finish(delivered);
            return (AttemptRecorded.Delivered, pending, delivered);
        }

        LastError = result.Error;
        if (_policy.NextAttempt(pending.Attempts, now, pending.FirstEnqueuedAt, random) is not { } next)
        {
            Remove(eventId);
            var dropped = pending.Dropped(now);
            Finish(dropped);
            return (AttemptRecorded.GaveUp, pending, dropped);
        }

        node.Value = pending with { NextAttemptAt = next };
        return (AttemptRecorded.WillRetry, node.Value, null);
    }

    /// <summary>Makes a pending event due at <paramref name="now"/>; returns it, or null when it is not pending.</summary>
    public PendingWebhook? MakeDue(string eventId, DateTimeOffset now)
    {
        if (!_byId.TryGetValue(eventId, out var node))
        {
            return null;
        }

        if (node.Value.NextAttemptAt > now)
        {
            node.Value = node.Value with { NextAttemptAt = now };
        }

        return node.Value;
    }

    /// <summary>Drops the events past their retention deadline that are not being attempted; returns their outcomes.</summary>
    public IReadOnlyList<(PendingWebhook Event, WebhookDelivery Outcome)> ExpireOverdue(DateTimeOffset now, Func<string, bool> busy)
    {
        var expired = _order.Where(pending => now > _policy.Deadline(pending.FirstEnqueuedAt) && !busy(pending.EventId)).ToList();
        return [.. expired.Select(pending => (pending, DropNow(pending.EventId, now, "expired")))];
    }

    /// <summary>Drops everything (the tenant is gone or has no URL any more); returns the outcomes.</summary>
    public IReadOnlyList<WebhookDelivery> DropAll(DateTimeOffset now) =>
        [.. _order.Select(pending => pending.EventId).ToList().Select(id => DropNow(id, now, "no_webhook_url"))];

    /// <summary>What the console shows: failed ones (soonest retry first), then those not yet tried (oldest first), then the latest outcomes.</summary>
    public IReadOnlyList<WebhookDelivery> Deliveries(int limit)
    {
        var failing = _order.Where(pending => pending.Attempts > 0).OrderBy(pending => pending.NextAttemptAt).ThenBy(pending => pending.Sequence);
        var waiting = _order.Where(pending => pending.Attempts == 0);
        return [.. failing.Concat(waiting).Take(limit).Select(pending => pending.View()).Concat(_recent).Take(limit)];
    }

    private WebhookDelivery DropNow(string eventId, DateTimeOffset now, string reason)
    {
        var outcome = Remove(eventId)!.Dropped(now, reason);
        Finish(outcome);
        return outcome;
    }

    private PendingWebhook? Remove(string eventId)
    {
        if (!_byId.Remove(eventId, out var node))
        {
            return null;
        }

        _order.Remove(node);
        return node.Value;
    }

    private void Finish(WebhookDelivery outcome)
    {
        if (outcome.Status == WebhookDeliveryStatus.Delivered)
        {
            Delivered++;
        }
        else
        {
            Dropped++;
        }

        _recent.AddFirst(outcome);
        if (_recent.Count > WebhookDeliveries.MaxLimit)
        {
            _recent.RemoveLast();
        }
    }
}
