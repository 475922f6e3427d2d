using CalendarGrains.Common;
using CalendarGrains.Security;
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
/// </remarks>
public sealed class WebhookOutboxGrain(
    [PersistentState("webhookOutbox", StorageNames.State)] IPersistentState<WebhookOutboxState> state,
    WebhookSender sender,
    ISecretProtector protector,
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
    private readonly HashSet<string> _pendingIds = new(StringComparer.Ordinal);
    private CoalescingWriter? _writer;
    private IGrainTimer? _timer;
    private TaskCompletionSource? _wake;
    private bool _pumping;
    private DateTimeOffset? _pausedUntil;
    private IGrainReminder? _reminder;
    private bool _reminderKnown;
    private Task _reminderSync = Task.CompletedTask;

    private string TenantId => this.GetPrimaryKeyString();

    private WebhookOutboxState S => state.State;

    private CoalescingWriter Writer => _writer ??= new(() => state.WriteStateAsync());

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        foreach (var pending in S.Pending)
        {
            _pendingIds.Add(pending.Event.Id);
        }

        _timer = this.RegisterGrainTimer(
            static (self, cancellation) => self.PumpAsync(cancellation),
            this,
            new GrainTimerCreationOptions(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan) { Interleave = true, KeepAlive = true });
        if (S.Pending.Count > 0)
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

        if (_pendingIds.Contains(webhookEvent.Id))
        {
            // The producer retried an enqueue that had succeeded: the event is already waiting.
            return;
        }

        var tenant = await GrainFactory.GetGrain<ITenantGrain>(TenantId).GetAsync();
        if (tenant?.WebhookUrl is null)
        {
            S.Dropped++;
            WebhookLog.NoWebhookUrl(logger, TenantId, webhookEvent.Id, webhookEvent.Type);
            await Writer.WriteAsync();
            return;
        }

        while (S.Pending.Count >= _settings.QueueCapacity)
        {
            var oldest = S.Pending[0];
            RemovePendingAt(0);
            S.Dropped++;
            WebhookLog.QueueFull(logger, TenantId, _settings.QueueCapacity, oldest.Event.Id, oldest.Event.Type);
        }

        var now = time.GetUtcNow();
        S.Pending.Add(new PendingWebhook(webhookEvent, now, Attempts: 0, NextAttemptAt: now, LastError: null));
        _pendingIds.Add(webhookEvent.Id);
        await Writer.WriteAsync();
        await SyncReminderAsync();
        Wake();
    }

    public Task<WebhookOutboxStatus> GetStatusAsync() => Task.FromResult(new WebhookOutboxStatus(
        S.Pending.Count,
        S.Delivered,
        S.Dropped,
        NextAttemptAt(),
        S.LastError));

    public Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (S.Pending.Count == 0)
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
            if (!stopping && _inFlight.Count < _settings.MaxConcurrentDeliveries && HasDue(now))
            {
                // Note: the tenant's URL and secret are read once per run, so an update applies to the next run.
                target ??= await ResolveTargetAsync();
                if (target is null)
                {
                    changed |= DropAllPending();
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
                    persisted = Writer.WriteAsync();
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
            if (CompleteFinished(target!))
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

    private bool HasDue(DateTimeOffset now) =>
        S.Pending.Exists(pending => pending.NextAttemptAt <= now && !_inFlight.ContainsKey(pending.Event.Id));

    /// <summary>Starts attempts for due events, oldest first, up to the concurrency limit.</summary>
    private void StartDue(DateTimeOffset now, WebhookTarget target)
    {
        foreach (var pending in S.Pending)
        {
            if (_inFlight.Count >= _settings.MaxConcurrentDeliveries)
            {
                return;
            }

            if (pending.NextAttemptAt <= now && !_inFlight.ContainsKey(pending.Event.Id))
            {
                _inFlight.Add(pending.Event.Id, AttemptAsync(target, pending.Event, now));
            }
        }
    }

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

    /// <summary>Applies the results of the attempts that finished; true when the state changed.</summary>
    private bool CompleteFinished(WebhookTarget target)
    {
        var now = time.GetUtcNow();
        var changed = false;
        foreach (var (eventId, attempt) in _inFlight.Where(pair => pair.Value.IsCompleted).ToList())
        {
            _inFlight.Remove(eventId);
            changed |= Apply(eventId, attempt.Result, now, target);
        }

        return changed;
    }

    private bool Apply(string eventId, WebhookAttemptResult result, DateTimeOffset now, WebhookTarget target)
    {
        var index = S.Pending.FindIndex(pending => string.Equals(pending.Event.Id, eventId, StringComparison.Ordinal));
        if (index < 0 || result.Aborted)
        {
            // Dropped meanwhile (queue full), or cut short by shutdown: it stays due as it was.
            return false;
        }

        var pending = S.Pending[index];
        var attempts = pending.Attempts + 1;
        if (result.Delivered)
        {
            RemovePendingAt(index);
            S.Delivered++;
            WebhookLog.Delivered(logger, eventId, pending.Event.Type, TenantId, target.Host, result.StatusCode, attempts);
            return true;
        }

        S.LastError = result.Error;
        var next = _policy.NextAttempt(attempts, now, pending.FirstEnqueuedAt, Random.Shared.NextDouble());
        if (next is null)
        {
            RemovePendingAt(index);
            S.Dropped++;
            WebhookLog.GaveUp(logger, eventId, pending.Event.Type, TenantId, attempts, pending.FirstEnqueuedAt, result.Error);
            return true;
        }

        S.Pending[index] = pending with { Attempts = attempts, NextAttemptAt = next.Value, LastError = result.Error };
        WebhookLog.AttemptFailed(logger, eventId, pending.Event.Type, TenantId, target.Host, result.Error ?? "unknown", attempts, next.Value);
        return true;
    }

    /// <summary>Drops events past the retention window that are not being attempted; true when any was.</summary>
    private bool ExpireOverdue(DateTimeOffset now)
    {
        var changed = false;
        for (var i = S.Pending.Count - 1; i >= 0; i--)
        {
            var pending = S.Pending[i];
            if (now > _policy.Deadline(pending.FirstEnqueuedAt) && !_inFlight.ContainsKey(pending.Event.Id))
            {
                RemovePendingAt(i);
                S.Dropped++;
                WebhookLog.GaveUp(logger, pending.Event.Id, pending.Event.Type, TenantId, pending.Attempts, pending.FirstEnqueuedAt, pending.LastError);
                changed = true;
            }
        }

        return changed;
    }

    /// <summary>The tenant is gone or has no URL any more: nothing pending can be delivered.</summary>
    private bool DropAllPending()
    {
        var count = S.Pending.Count;
        S.Pending.Clear();
        _pendingIds.Clear();
        S.Dropped += count;
        WebhookLog.TargetGone(logger, TenantId, count);
        return count > 0;
    }

    private async Task<WebhookTarget?> ResolveTargetAsync()
    {
        var tenant = GrainFactory.GetGrain<ITenantGrain>(TenantId);
        var view = await tenant.GetAsync();
        if (view?.WebhookUrl is null || !Uri.TryCreate(view.WebhookUrl, UriKind.Absolute, out var url))
        {
            return null;
        }

        var secrets = await tenant.GetSecretsAsync();
        if (secrets is null)
        {
            return null;
        }

        var secret = protector.Unprotect(secrets.WebhookSecret, TenantSecretPurposes.WebhookSecret(TenantId));
        return new WebhookTarget(url, new StandardWebhookSigner(secret));
    }

    private void RemovePendingAt(int index)
    {
        _pendingIds.Remove(S.Pending[index].Event.Id);
        S.Pending.RemoveAt(index);
    }

    private DateTimeOffset? NextAttemptAt()
    {
        DateTimeOffset? next = null;
        foreach (var pending in S.Pending)
        {
            if (!_inFlight.ContainsKey(pending.Event.Id) && (next is null || pending.NextAttemptAt < next))
            {
                next = pending.NextAttemptAt;
            }
        }

        return next;
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

        var next = NextAttemptAt();
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

    /// <summary>
    /// Makes the reminder exist exactly while events are pending. Calls are chained, and each looks
    /// at the queue when it runs, so an enqueue that interleaves with an unregistration still ends
    /// with a reminder.
    /// </summary>
    private Task SyncReminderAsync()
    {
        _reminderSync = ChainAsync(_reminderSync);
        return _reminderSync;

        async Task ChainAsync(Task previous)
        {
            try
            {
                await previous;
            }
            catch (Exception)
            {
                // Its caller saw it; this call looks again.
            }

            if (S.Pending.Count > 0)
            {
                _reminder ??= await this.RegisterOrUpdateReminder(ReminderName, _settings.ReminderPeriod, _settings.ReminderPeriod);
                _reminderKnown = true;
                return;
            }

            if (_reminder is null && !_reminderKnown)
            {
                _reminder = await this.GetReminder(ReminderName);
            }

            if (_reminder is not null)
            {
                await this.UnregisterReminder(_reminder);
                _reminder = null;
            }

            _reminderKnown = true;
        }
    }
}
