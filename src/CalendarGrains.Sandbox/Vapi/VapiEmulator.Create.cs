using CalendarGrains.Sandbox.Vapi.Accounts;
using CalendarGrains.Sandbox.Vapi.Calls;
using CalendarGrains.Sandbox.Vapi.Webhooks;
using CalendarGrains.Sandbox.Vapi.Wire;

namespace CalendarGrains.Sandbox.Vapi;

/// <summary>What <c>POST /call</c> came to, once the request was valid.</summary>
internal abstract record CreateCallResult
{
    /// <summary>201: a call exists (possibly already ended, blocked by the concurrency limit).</summary>
    public sealed record Created(VapiCall Call) : CreateCallResult;

    /// <summary>Legacy mode, over the concurrency limit: 400 and no call.</summary>
    public sealed record OverConcurrencyLimit : CreateCallResult;
}

public sealed partial class VapiEmulator
{
    /// <summary>Vapi's <c>endedReason</c> for a call that could not start because every concurrency slot was taken.</summary>
    public const string ConcurrencyLimitReachedReason = "call.start.error-subscription-concurrency-limit-reached";

    internal void CountCreateCallAttempt() => Interlocked.Increment(ref _createCallAttempts);

    internal CreateCallResult CreateCall(VapiAccount account, CreateCallRequest request, string type = "outboundPhoneCall")
    {
        lock (_gate)
        {
            var now = Now();
            var settings = _settings;
            var scheduled = request.EarliestAt is { } earliestAt && earliestAt > now;
            var overLimit = !scheduled && account.LiveCalls >= account.ConcurrencyLimit;
            if (overLimit && settings.LegacyConcurrencyError)
            {
                return new CreateCallResult.OverConcurrencyLimit();
            }

            var call = new EmulatedCall
            {
                Id = Guid.CreateVersion7(now).ToString(),
                Sequence = _calls.NextSequence(),
                Account = account,
                Request = request,
                Type = type,
                CreatedAt = now,
                UpdatedAt = now,
                VisibleAt = now + settings.VisibilityDelay,
                Server = ServerTarget.Resolve(request, account),
                Outcome = OutcomeFor(request.DialTarget, settings),
                Automatic = settings.Lifecycle == VapiLifecycleMode.Automatic,
                Status = scheduled ? CallStatuses.Scheduled : CallStatuses.Queued,
            };
            _calls.Add(call);
            _callsCreated++;

            if (overLimit)
            {
                // Vapi's current behaviour: the call exists, then fails to start at once, with its messages.
                call.Limits = new VapiSubscriptionLimits(ConcurrencyBlocked: true, account.ConcurrencyLimit, RemainingConcurrentCalls: 0);
                _ = EndBlockedLocked(call, now);
            }
            else
            {
                if (!scheduled)
                {
                    CountStartedLocked(account);
                }

                call.Limits = new VapiSubscriptionLimits(
                    ConcurrencyBlocked: false, account.ConcurrencyLimit, Math.Max(0, account.ConcurrencyLimit - account.LiveCalls));
                ScheduleNextStepLocked(call, now);
            }

            VapiEmulatorLog.CallCreated(_logger, call.Id, account.OrgId, call.Status);
            return new CreateCallResult.Created(call.ToWire(withSubscriptionLimits: true));
        }
    }

    private VapiCallOutcome OutcomeFor(string? dialTarget, VapiEmulatorSettings settings) =>
        dialTarget is not null && _outcomesByNumber.TryGetValue(dialTarget, out var outcome) ? outcome : settings.DefaultOutcome;

    private void CountStartedLocked(VapiAccount account)
    {
        account.CountCallStarted();
        _liveCalls++;
        _maxLiveCalls = Math.Max(_maxLiveCalls, _liveCalls);
    }

    private void CountEndedLocked(VapiAccount account)
    {
        account.CountCallEnded();
        _liveCalls--;
    }
}
