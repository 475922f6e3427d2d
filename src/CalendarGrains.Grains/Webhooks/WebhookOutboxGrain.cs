using CalendarGrains.Common;
using CalendarGrains.Tenants;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Storage;

namespace CalendarGrains.Webhooks;

/// <inheritdoc cref="IWebhookOutboxGrain"/>
/// <remarks>
/// <para>
/// Concurrency. The grain is not reentrant, but its delivery loop (<see cref="PumpAsync"/>) runs as
/// an <em>interleaving</em> grain timer: while it awaits an endpoint, <see cref="EnqueueAsync"/>
/// and <see cref="GetStatusAsync"/> run, so a slow tenant endpoint (up to
/// <see cref="WebhookOptions.AttemptTimeout"/> per attempt, 4 attempts at a time) never makes a
/// producer wait. Everything still runs on the grain's one scheduler, so the in-memory state has no
/// data race; what can overlap is storage I/O, hence every state write goes through one
/// <see cref="CoalescingWriter"/> (no two writes with the same ETag) and reminder changes are chained.
/// </para>
/// <para>
/// Durability. An event is stored before <see cref="EnqueueAsync"/> returns, and so is a reminder
/// whenever events are pending. While active, a one-shot grain timer wakes the loop exactly at the
/// next attempt time; after a restart or deactivation the reminder reactivates the grain, and
/// activation starts the loop. Delivery is at least once: a crash between a 2xx and the write that
/// records it sends the event again.
/// </para>
/// <para>
/// <see cref="EnqueueAsync"/> reads the tenant grain (for its webhook URL), so the tenant grain
/// itself must not await an enqueue from inside one of its own calls: the two would wait on each other.
/// </para>
/// </remarks>
public sealed class WebhookOutboxGrain(
    [PersistentState("webhookOutbox", StorageNames.State)] IPersistentState<WebhookOutboxState> state,
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
    private CoalescingWriter? _writer;
    private IGrainTimer? _timer;
    private TaskCompletionSource? _wake;
    private bool _pumping;
    private DateTimeOffset? _pausedUntil;
    private PendingWorkReminder _reminder = null!;

    private string TenantId => this.GetPrimaryKeyString();

    private CoalescingWriter Writer => _writer ??= new(() => state.WriteStateAsync());

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _queue = new WebhookQueue(state.State, _policy, _settings.QueueCapacity);
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

        return Task.CompletedTask;
    }

    public async Task EnqueueAsync(WebhookEvent webhookEvent)
    {
        if (WebhookPayload.Problem(webhookEvent) is { } problem)
        {
            throw new ArgumentException(problem, nameof(webhookEvent));
        }

        if (_queue.Contains(webhookEvent.Id))
        {
            // The producer retries an enqueue (that may have failed to store): it is already
            // waiting, so make sure it is stored and return as the first call would have.
            await Writer.WriteAsync();
            await SyncReminderAsync();
            return;
        }

        var tenant = await GrainFactory.GetGrain<ITenantGrain>(TenantId).GetAsync();
        if (tenant?.WebhookUrl is null)
        {
            _queue.CountDropped();
            WebhookLog.NoWebhookUrl(logger, TenantId, webhookEvent.Id, webhookEvent.Type);
            await Writer.WriteAsync();
            return;
        }

        foreach (var oldest in _queue.Add(webhookEvent, time.GetUtcNow()))
        {
            WebhookLog.QueueFull(logger, TenantId, _settings.QueueCapacity, oldest.Event.Id, oldest.Event.Type);
        }

        await Writer.WriteAsync();
        await SyncReminderAsync();
        Wake();
    }

    public Task<WebhookOutboxStatus> GetStatusAsync() => Task.FromResult(new WebhookOutboxStatus(
        _queue.Count,
        state.State.Delivered,
        state.State.Dropped,
        _queue.NextAttemptAt(IsInFlight),
        state.State.LastError));

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
        catch (InconsistentStateException)
        {
            // Another activation wrote the outbox (a rare duplicate after a partition): ours is stale.
            // Retrying the write blindly would overwrite it; reload by deactivating instead.
            WebhookLog.Conflict(logger, TenantId);
            DeactivateOnIdle();
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // Storage, the tenant grain or the key store failed. Nothing is lost (pending events are
            // in memory and in storage): pause, then run again.
            _pausedUntil = time.GetUtcNow() + _policy.BaseDelay(1);
            WebhookLog.OutboxFailed(logger, TenantId, exception.GetType().Name, _pausedUntil.Value);
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
        Task? persisted = null;
        while (true)
        {
            var now = time.GetUtcNow();
            var changed = ExpireOverdue(now);
            // Shutting down: start nothing new, let the attempts in flight end (they are cancelled).
            var stopping = cancellationToken.IsCancellationRequested || lifetime.ApplicationStopping.IsCancellationRequested;
            if (!stopping && _inFlight.Count < _settings.MaxConcurrentDeliveries && _queue.Due(now, IsInFlight).Any())
            {
                // Note: the tenant's URL and secret are read once per run, so an update applies to the next run.
                target ??= await targets.ResolveAsync(TenantId);
                if (target is null)
                {
                    var dropped = _queue.DropAll();
                    WebhookLog.TargetGone(logger, TenantId, dropped);
                    changed |= dropped > 0;
                }
                else
                {
                    StartDue(now, target);
                }
            }

            if (_inFlight.Count == 0)
            {
                if (changed)
                {
                    persisted = Persist(persisted);
                }

                break;
            }

            if (changed)
            {
                persisted = Persist(persisted);
            }

            _wake = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            await Task.WhenAny(_inFlight.Values.Append<Task>(_wake.Task));
            _wake = null;
            if (await RecordFinishedAsync(target!))
            {
                // Not awaited: more attempts start while it is stored; writes made meanwhile coalesce.
                persisted = Persist(persisted);
            }
        }

        if (persisted is not null)
        {
            await persisted;
        }
    }

    private Task Persist(Task? previous)
    {
        // A newer write covers everything the previous one did; only the last one is awaited.
        previous?.Ignore();
        return Writer.WriteAsync();
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

    /// <summary>Records the attempts that finished; true when the state changed.</summary>
    private async Task<bool> RecordFinishedAsync(WebhookTarget target)
    {
        var now = time.GetUtcNow();
        var changed = false;
        foreach (var (eventId, attempt) in _inFlight.Where(pair => pair.Value.IsCompleted).ToList())
        {
            _inFlight.Remove(eventId);
            var result = await attempt; // already completed: no wait, and no blocking read
            if (result.Aborted)
            {
                // Cut short by shutdown: not an attempt; the event stays due as it was.
                continue;
            }

            var (recorded, pending) = _queue.Record(eventId, result, now, Random.Shared.NextDouble());
            changed |= recorded != AttemptRecorded.Unknown;
            switch (recorded)
            {
                case AttemptRecorded.Delivered:
                    WebhookLog.Delivered(logger, eventId, pending!.Event.Type, TenantId, target.Host, result.StatusCode, pending.Attempts);
                    break;
                case AttemptRecorded.WillRetry:
                    WebhookLog.AttemptFailed(logger, eventId, pending!.Event.Type, TenantId, target.Host, result.Error ?? "unknown", pending.Attempts, pending.NextAttemptAt);
                    break;
                case AttemptRecorded.GaveUp:
                    WebhookLog.GaveUp(logger, eventId, pending!.Event.Type, TenantId, pending.Attempts, pending.FirstEnqueuedAt, result.Error);
                    break;
            }
        }

        return changed;
    }

    /// <summary>Drops the events past the retention window; true when any was.</summary>
    private bool ExpireOverdue(DateTimeOffset now)
    {
        var expired = _queue.ExpireOverdue(now, IsInFlight);
        foreach (var pending in expired)
        {
            WebhookLog.GaveUp(logger, pending.Event.Id, pending.Event.Type, TenantId, pending.Attempts, pending.FirstEnqueuedAt, pending.LastError);
        }

        return expired.Count > 0;
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
