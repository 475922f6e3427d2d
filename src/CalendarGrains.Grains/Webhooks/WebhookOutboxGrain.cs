using CalendarGrains.Common;
using CalendarGrains.Tenants;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CalendarGrains.Webhooks;

/// <inheritdoc cref="IWebhookOutboxGrain"/>
/// <remarks>
/// <para>
/// Concurrency. The grain is not reentrant, but its delivery loop (<see cref="PumpAsync"/>) runs as
/// an <em>interleaving</em> grain timer: while it awaits an endpoint, <see cref="EnqueueAsync"/>
/// and <see cref="GetStatusAsync"/> run, so a slow tenant endpoint (up to
/// <see cref="WebhookOptions.AttemptTimeout"/> per attempt, 4 attempts at a time) never makes a
/// producer wait. Everything still runs on the grain's one scheduler, so the in-memory state has no
/// data race; what can overlap is storage I/O, and each store call touches only its own events'
/// records (reminder changes are chained).
/// </para>
/// <para>
/// Storage. Each pending event is its own record in <see cref="IWebhookStore"/>, so recording an
/// outcome writes one record, whatever the length of the queue; memory holds the same queue for
/// scheduling, loaded at activation. Grain state only holds what an earlier version stored there,
/// moved into the store at activation.
/// </para>
/// <para>
/// Durability. An event is stored before <see cref="EnqueueAsync"/> returns (memory changes only
/// after the store has it, so a retried enqueue of an event whose store write failed stores it
/// then), and so is a reminder whenever events are pending. While active, a one-shot grain timer
/// wakes the loop exactly at the next attempt time; after a restart or deactivation the reminder
/// reactivates the grain, and activation starts the loop. Delivery is at least once: a crash
/// between a 2xx and the write that records it sends the event again.
/// </para>
/// <para>
/// Deduplication. An event id is refused (and acknowledged) while it is pending and for
/// <see cref="WebhookOptions.Retention"/> after its event was delivered or dropped: the store
/// remembers finished ids that long, then forgets them, so its memory stays bounded.
/// </para>
/// <para>
/// Channels. A tenant has one outbox per delivery target, all this grain: keyed by the tenant id
/// for its Standard Webhooks, by <c>{tenant id}:nango</c> for its Nango <c>auth</c> webhooks
/// (<see cref="WebhookOutboxKeys"/>). The <see cref="WebhookChannel"/> the key names decides only
/// which events the outbox takes, their stored shape and id, and how an attempt is written and
/// signed; so every target gets the same durability, retries, retention, capacity and console
/// reads from one delivery engine. Producers only ever enqueue to the Standard outbox; it hands the
/// events another outbox of the tenant wants to that outbox (<see cref="WebhookChannel.AlsoFor"/>)
/// before storing them itself, on every call, so a producer that enqueues until it is answered
/// once has the event stored in both, each deduplicated by its own id.
/// </para>
/// <para>
/// <see cref="EnqueueAsync"/> reads the tenant grain (for its webhook URLs), so the tenant grain
/// itself must not await an enqueue from inside one of its own calls: the two would wait on each
/// other. An outbox awaits another only in that one direction (Standard to Nango), never back.
/// </para>
/// </remarks>
public sealed class WebhookOutboxGrain(
    [PersistentState("webhookOutbox", StorageNames.State)] IPersistentState<WebhookOutboxState> legacy,
    IWebhookStore store,
    WebhookSender sender,
    WebhookTargets targets,
    IOptions<WebhookOptions> options,
    IHostApplicationLifetime lifetime,
    [FromKeyedServices(ServiceTime.Key)] TimeProvider time,
    ILogger<WebhookOutboxGrain> logger) : Grain, IWebhookOutboxGrain, IRemindable
{
    private const string ReminderName = "webhook-outbox";

    /// <summary>The longest the timer sleeps before looking again (it is re-armed precisely after each run).</summary>
    private static readonly TimeSpan MaxTimerDelay = TimeSpan.FromHours(1);

    private readonly WebhookOptions _settings = options.Value;
    private readonly WebhookRetryPolicy _policy = new(options.Value);
    private readonly Dictionary<string, Task<WebhookAttemptResult>> _inFlight = new(StringComparer.Ordinal);
    private WebhookQueue _queue = null!;
    private IGrainTimer? _timer;
    private TaskCompletionSource? _wake;
    private bool _pumping;
    private DateTimeOffset? _pausedUntil;
    private PendingWorkReminder _reminder = null!;

    private WebhookChannel _channel = null!;
    private string _tenantId = null!;

    /// <summary>This outbox's key: the tenant id, or <c>{tenant id}:nango</c> (<see cref="WebhookOutboxKeys"/>). Its store records and its log lines go by it.</summary>
    private string OutboxId => this.GetPrimaryKeyString();

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        (_channel, _tenantId) = WebhookChannel.Of(OutboxId);
        if (legacy.RecordExists)
        {
            await MoveLegacyStateAsync();
        }

        _queue = new WebhookQueue(await store.LoadAsync(OutboxId), _policy, _settings.QueueCapacity);
        _reminder = new PendingWorkReminder(this, ReminderName, _settings.ReminderPeriod, () => _queue.Count > 0);
        _timer = this.RegisterGrainTimer(
            static (self, cancellation) => self.PumpAsync(cancellation),
            this,
            new GrainTimerCreationOptions(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan) { Interleave = true, KeepAlive = true });
        if (_queue.Count > 0)
        {
            // Resuming after a restart or a deactivation: run the loop now; it also re-registers the reminder.
            _timer.Change(TimeSpan.Zero, Timeout.InfiniteTimeSpan);
        }
    }

    public async Task EnqueueAsync(WebhookEvent webhookEvent)
    {
        if (_channel.Problem(webhookEvent) is { } problem)
        {
            throw new ArgumentException(problem, nameof(webhookEvent));
        }

        var tenant = await GrainFactory.GetGrain<ITenantGrain>(_tenantId).GetAsync();
        if (_channel.AlsoFor(webhookEvent, tenant) is { } other)
        {
            // The tenant's other outbox (its Nango handler's) takes the event before this one
            // stores it, on every call, duplicates included: once a call returns, both have it,
            // and a producer retrying a call that failed halfway reaches the one that missed it.
            await GrainFactory.GetGrain<IWebhookOutboxGrain>(other).EnqueueAsync(webhookEvent);
        }

        var storedId = _channel.StoredId(webhookEvent.Id);
        if (_queue.Contains(storedId))
        {
            // Stored already (memory follows the store). The reminder may be what failed the
            // first time: make sure it exists, and answer as the first call would have.
            await SyncReminderAsync();
            return;
        }

        var now = time.GetUtcNow();
        if (tenant is null || !_channel.HasTarget(tenant))
        {
            var refused = _queue.Prepare(webhookEvent with { Id = storedId }, now).Dropped(now, "no_webhook_url");
            if (await store.RefuseAsync(OutboxId, refused, now, _settings.Retention))
            {
                _queue.Refused(refused);
                WebhookLog.NoWebhookUrl(logger, OutboxId, storedId, webhookEvent.Type);
            }

            return;
        }

        var pending = _queue.Prepare(_channel.Shape(webhookEvent, tenant), now);
        WebhookDelivery[] overflow = [.. _queue.Overflow().Select(oldest => oldest.Dropped(now, "queue_full"))];
        if (!await store.AddAsync(OutboxId, pending, overflow, now, _settings.Retention))
        {
            // Delivered or dropped within the retention: the producer is sending it again.
            return;
        }

        foreach (var oldest in _queue.Add(pending, overflow))
        {
            WebhookLog.QueueFull(logger, OutboxId, _settings.QueueCapacity, oldest.EventId, oldest.Event.Type);
        }

        await SyncReminderAsync();
        Wake();
    }

    public Task<WebhookOutboxStatus> GetStatusAsync() => Task.FromResult(new WebhookOutboxStatus(
        _queue.Count,
        _queue.Delivered,
        _queue.Dropped,
        _queue.NextAttemptAt(IsInFlight),
        _queue.LastError));

    public Task<IReadOnlyList<WebhookDelivery>> GetRecentDeliveriesAsync(int limit) =>
        Task.FromResult(_queue.Deliveries(Math.Clamp(limit, 1, WebhookDeliveries.MaxLimit)));

    public async Task<bool> RetryNowAsync(string eventId)
    {
        if (IsInFlight(eventId))
        {
            // Being attempted right now: that is as soon as it gets.
            return true;
        }

        if (_queue.MakeDue(eventId, time.GetUtcNow()) is not { } due)
        {
            return false;
        }

        // Stored too, so a restart does not put the old schedule back.
        await store.UpdateAsync(OutboxId, due, lastError: null);
        Wake();
        return true;
    }

    public Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (_queue.Count == 0)
        {
            // Left over from before the queue emptied (e.g. a crash before unregistering it).
            return SyncReminderAsync();
        }

        // Activation already started the loop if this tick brought the grain back; otherwise make sure it runs.
        Wake();
        return Task.CompletedTask;
    }

    /// <summary>The delivery loop: one run per timer tick, until nothing is due or in flight.</summary>
    private async Task PumpAsync(CancellationToken cancellationToken)
    {
        _pumping = true;
        _pausedUntil = null;
        try
        {
            await DeliverDueAsync(cancellationToken);
            await SyncReminderAsync();
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // The store, the tenant grain or the key store failed. Nothing is lost (pending events are
            // in memory and in the store; an outcome the store missed only means a second delivery
            // after a restart): pause, then run again.
            _pausedUntil = time.GetUtcNow() + _policy.BaseDelay(1);
            WebhookLog.OutboxFailed(logger, OutboxId, exception.GetType().Name, _pausedUntil.Value);
        }
        finally
        {
            _pumping = false;
            ScheduleNextTick();
        }
    }

    private async Task DeliverDueAsync(CancellationToken cancellationToken)
    {
        WebhookTarget? target = null;
        while (true)
        {
            var now = time.GetUtcNow();
            await ExpireOverdueAsync(now);
            // Shutting down: start nothing new, let the attempts in flight end (they are cancelled).
            var stopping = cancellationToken.IsCancellationRequested || lifetime.ApplicationStopping.IsCancellationRequested;
            if (!stopping && _inFlight.Count < _settings.MaxConcurrentDeliveries && _queue.Due(now, IsInFlight).Any())
            {
                // Note: the tenant's URL and secret are read once per run, so an update applies to the next run.
                target ??= await targets.ResolveAsync(_tenantId, _channel);
                if (target is null)
                {
                    var dropped = _queue.DropAll(now);
                    WebhookLog.TargetGone(logger, OutboxId, dropped.Count);
                    await store.CompleteAsync(OutboxId, dropped, now, _settings.Retention, lastError: null);
                }
                else
                {
                    StartDue(now, target);
                }
            }

            if (_inFlight.Count == 0)
            {
                break;
            }

            _wake = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            await Task.WhenAny(_inFlight.Values.Append<Task>(_wake.Task));
            _wake = null;
            // Stored before the next round starts more attempts: a Redis round trip, against
            // attempts that take as long as the endpoint does.
            await RecordFinishedAsync(target!);
        }
    }

    /// <summary>Starts attempts for due events, oldest first, up to the concurrency limit.</summary>
    private void StartDue(DateTimeOffset now, WebhookTarget target)
    {
        var free = _settings.MaxConcurrentDeliveries - _inFlight.Count;
        foreach (var pending in _queue.Due(now, IsInFlight).Take(free).ToList())
        {
            _inFlight.Add(pending.Event.Id, AttemptAsync(target, pending.Event, now));
        }
    }

    private bool IsInFlight(string eventId) => _inFlight.ContainsKey(eventId);

    private async Task<WebhookAttemptResult> AttemptAsync(WebhookTarget target, WebhookEvent webhookEvent, DateTimeOffset now)
    {
        try
        {
            return await sender.SendAsync(target, webhookEvent, now, lifetime.ApplicationStopping);
        }
        catch (Exception exception)
        {
            // Whatever else went wrong is this attempt's failure, recorded by kind, not by message.
            return WebhookAttemptResult.Failure(exception.GetType().Name);
        }
    }

    /// <summary>Records the attempts that finished, in memory and in the store.</summary>
    private async Task RecordFinishedAsync(WebhookTarget target)
    {
        var now = time.GetUtcNow();
        var writes = new List<Task>();
        foreach (var (eventId, attempt) in _inFlight.Where(pair => pair.Value.IsCompleted).ToList())
        {
            _inFlight.Remove(eventId);
            var result = await attempt; // already completed: no wait, and no blocking read
            if (result.Aborted)
            {
                // Cut short by shutdown: not an attempt; the event stays due as it was.
                continue;
            }

            var (recorded, pending, outcome) = _queue.Record(eventId, result, now, Random.Shared.NextDouble());
            switch (recorded)
            {
                case AttemptRecorded.Delivered:
                    WebhookLog.Delivered(logger, eventId, pending!.Event.Type, OutboxId, target.Host, result.StatusCode, pending.Attempts);
                    writes.Add(store.CompleteAsync(OutboxId, [outcome!], now, _settings.Retention, lastError: null));
                    break;
                case AttemptRecorded.WillRetry:
                    WebhookLog.AttemptFailed(logger, eventId, pending!.Event.Type, OutboxId, target.Host, result.Error ?? "unknown", pending.Attempts, pending.NextAttemptAt);
                    writes.Add(store.UpdateAsync(OutboxId, pending, result.Error));
                    break;
                case AttemptRecorded.GaveUp:
                    WebhookLog.GaveUp(logger, eventId, pending!.Event.Type, OutboxId, pending.Attempts, pending.FirstEnqueuedAt, result.Error);
                    writes.Add(store.CompleteAsync(OutboxId, [outcome!], now, _settings.Retention, result.Error));
                    break;
            }
        }

        await Task.WhenAll(writes);
    }

    /// <summary>Drops the events past the retention window, in memory and in the store.</summary>
    private async Task ExpireOverdueAsync(DateTimeOffset now)
    {
        var expired = _queue.ExpireOverdue(now, IsInFlight);
        if (expired.Count == 0)
        {
            return;
        }

        foreach (var (pending, _) in expired)
        {
            WebhookLog.GaveUp(logger, pending.EventId, pending.Event.Type, OutboxId, pending.Attempts, pending.FirstEnqueuedAt, pending.LastError);
        }

        await store.CompleteAsync(OutboxId, [.. expired.Select(each => each.Outcome)], now, _settings.Retention, lastError: null);
    }

    /// <summary>
    /// Moves what an earlier version kept in grain state into the store, then deletes the record.
    /// A crash in between moves it again: the import keeps what is already there.
    /// </summary>
    private async Task MoveLegacyStateAsync()
    {
        var old = legacy.State;
        var sequenced = old.Pending.Select((pending, index) => pending with { Sequence = index }).ToList();
        await store.ImportAsync(OutboxId, sequenced, old.Delivered, old.Dropped, old.LastError);
        await legacy.ClearStateAsync();
        WebhookLog.MovedLegacyState(logger, OutboxId, sequenced.Count);
    }

    /// <summary>Makes the loop look at the queue now: a running loop through its wake signal, an idle one through its timer.</summary>
    private void Wake()
    {
        if (_pumping)
        {
            // If the loop is between waits, it re-reads the queue before sleeping (see ScheduleNextTick).
            _wake?.TrySetResult();
        }
        else
        {
            _timer?.Change(TimeSpan.Zero, Timeout.InfiniteTimeSpan);
        }
    }

    /// <summary>Arms the one-shot timer for the earliest next attempt (the loop has just finished).</summary>
    private void ScheduleNextTick()
    {
        if (_timer is null)
        {
            return;
        }

        var next = _queue.NextAttemptAt(IsInFlight);
        if (next is null || lifetime.ApplicationStopping.IsCancellationRequested)
        {
            // Nothing pending, or the silo is stopping: the reminder resumes delivery after the restart.
            _timer.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            return;
        }

        if (_pausedUntil > next)
        {
            next = _pausedUntil;
        }

        var delay = next.Value - time.GetUtcNow();
        _timer.Change(delay < TimeSpan.Zero ? TimeSpan.Zero : delay > MaxTimerDelay ? MaxTimerDelay : delay, Timeout.InfiniteTimeSpan);
    }

    private Task SyncReminderAsync() => _reminder.SyncAsync();
}
