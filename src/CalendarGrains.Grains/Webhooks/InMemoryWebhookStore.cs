namespace CalendarGrains.Webhooks;

/// <summary>The sandbox's store: one process, nothing survives a restart (as the sandbox says).</summary>
public sealed class InMemoryWebhookStore : IWebhookStore
{
    private readonly Dictionary<string, Outbox> _outboxes = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    public Task<WebhookStoreSnapshot> LoadAsync(string tenantId)
    {
        lock (_gate)
        {
            var outbox = For(tenantId);
            return Task.FromResult(new WebhookStoreSnapshot([.. outbox.Pending.Values], outbox.Delivered, outbox.Dropped, outbox.LastError, [.. outbox.Recent]));
        }
    }

    public Task<bool> AddAsync(string tenantId, PendingWebhook pending, IReadOnlyList<WebhookDelivery> overflow, DateTimeOffset now, TimeSpan remember)
    {
        lock (_gate)
        {
            var outbox = For(tenantId);
            if (outbox.Knows(pending.EventId, now))
            {
                return Task.FromResult(false);
            }

            outbox.Finish(overflow, now + remember);
            outbox.Pending[pending.EventId] = pending;
            return Task.FromResult(true);
        }
    }

    public Task<bool> RefuseAsync(string tenantId, WebhookDelivery outcome, DateTimeOffset now, TimeSpan remember)
    {
        lock (_gate)
        {
            var outbox = For(tenantId);
            if (outbox.Knows(outcome.EventId, now))
            {
                return Task.FromResult(false);
            }

            outbox.Record(outcome, now + remember);
            return Task.FromResult(true);
        }
    }

    public Task UpdateAsync(string tenantId, PendingWebhook pending, string? lastError)
    {
        lock (_gate)
        {
            var outbox = For(tenantId);
            outbox.LastError = lastError ?? outbox.LastError;
            if (outbox.Pending.ContainsKey(pending.EventId))
            {
                outbox.Pending[pending.EventId] = pending;
            }

            return Task.CompletedTask;
        }
    }

    public Task<int> CompleteAsync(string tenantId, IReadOnlyList<WebhookDelivery> outcomes, DateTimeOffset now, TimeSpan remember, string? lastError)
    {
        lock (_gate)
        {
            var outbox = For(tenantId);
            outbox.LastError = lastError ?? outbox.LastError;
            return Task.FromResult(outbox.Finish(outcomes, now + remember));
        }
    }

    public Task ImportAsync(string tenantId, IReadOnlyList<PendingWebhook> pending, long delivered, long dropped, string? lastError)
    {
        lock (_gate)
        {
            var outbox = For(tenantId);
            foreach (var each in pending)
            {
                outbox.Pending.TryAdd(each.EventId, each);
            }

            outbox.Delivered = outbox.Delivered == 0 ? delivered : outbox.Delivered;
            outbox.Dropped = outbox.Dropped == 0 ? dropped : outbox.Dropped;
            outbox.LastError ??= lastError;
            return Task.CompletedTask;
        }
    }

    private Outbox For(string tenantId)
    {
        if (!_outboxes.TryGetValue(tenantId, out var outbox))
        {
            outbox = new Outbox();
            _outboxes[tenantId] = outbox;
        }

        return outbox;
    }

    private sealed class Outbox
    {
        public Dictionary<string, PendingWebhook> Pending { get; } = new(StringComparer.Ordinal);

        /// <summary>Finished ids and until when each is remembered.</summary>
        public Dictionary<string, DateTimeOffset> Finished { get; } = new(StringComparer.Ordinal);

        /// <summary>The same, in the order they were remembered (so the oldest are forgotten first).</summary>
        private readonly Queue<(string Id, DateTimeOffset Until)> _forgetting = new();

        /// <summary>Newest first.</summary>
        public LinkedList<WebhookDelivery> Recent { get; } = new();

        public long Delivered { get; set; }

        public long Dropped { get; set; }

        public string? LastError { get; set; }

        /// <summary>True when the id is pending or remembered; forgets the ids whose time is over.</summary>
        public bool Knows(string eventId, DateTimeOffset now)
        {
            while (_forgetting.TryPeek(out var oldest) && oldest.Until <= now)
            {
                _forgetting.Dequeue();
                if (Finished.TryGetValue(oldest.Id, out var until) && until == oldest.Until)
                {
                    Finished.Remove(oldest.Id);
                }
            }

            return Pending.ContainsKey(eventId) || Finished.ContainsKey(eventId);
        }

        public int Finish(IReadOnlyList<WebhookDelivery> outcomes, DateTimeOffset rememberUntil)
        {
            var finished = 0;
            foreach (var outcome in outcomes)
            {
                if (!Pending.Remove(outcome.EventId))
                {
                    continue;
                }

                finished++;
                Record(outcome, rememberUntil);
            }

            return finished;
        }

        /// <summary>Counts a finished event, remembers its id and keeps its outcome among the latest.</summary>
        public void Record(WebhookDelivery outcome, DateTimeOffset rememberUntil)
        {
            Finished[outcome.EventId] = rememberUntil;
            _forgetting.Enqueue((outcome.EventId, rememberUntil));
            if (outcome.Status == WebhookDeliveryStatus.Delivered)
            {
                Delivered++;
            }
            else
            {
                Dropped++;
            }

            Recent.AddFirst(outcome);
            if (Recent.Count > WebhookDeliveries.MaxLimit)
            {
                Recent.RemoveLast();
            }
        }
    }
}
