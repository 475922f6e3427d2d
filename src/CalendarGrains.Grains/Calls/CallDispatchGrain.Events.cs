using CalendarGrains.Vapi;
using CalendarGrains.Webhooks;

namespace CalendarGrains.Calls;

public sealed partial class CallDispatchGrain
{
    public async Task ApplyVapiEventAsync(VapiCallEvent vapiEvent)
    {
        if (!VisibleTo(vapiEvent.TenantId) || S.AbandonedVapiCallIds.Contains(vapiEvent.VapiCallId))
        {
            LogEventIgnored(logger, Id, vapiEvent.VapiCallId, vapiEvent.Source);
            return;
        }

        if (S.VapiCallId is null)
        {
            if (S.Status != CallStatus.Dispatching)
            {
                LogEventIgnored(logger, Id, vapiEvent.VapiCallId, vapiEvent.Source);
                return;
            }

            // A message about our call while its POST /call has no known outcome: proof that Vapi has it.
            if (IsNeverStarted(vapiEvent))
            {
                await RefusedAsync(VapiErrorKinds.ConcurrencyLimit, null, vapiEvent.VapiCallId);
                return;
            }

            await AdoptAsync(vapiEvent.VapiCallId, vapiEvent);
            await Queue.DispatchedAsync(Id);
            return;
        }

        if (!string.Equals(S.VapiCallId, vapiEvent.VapiCallId, StringComparison.Ordinal))
        {
            LogEventIgnored(logger, Id, vapiEvent.VapiCallId, vapiEvent.Source);
            return;
        }

        await ApplyAsync(vapiEvent);
    }

    /// <summary>
    /// Applies news about our Vapi call: the status only ever moves forward and never out of a
    /// final one; after <c>ended</c>, only the report's data (reason, times, cost) is still taken.
    /// </summary>
    private async Task ApplyAsync(VapiCallEvent news)
    {
        var now = time.GetUtcNow();
        S.LastVapiNewsAt = now;
        S.ConsecutiveNotFound = 0;
        if (IsNeverStarted(news) && S.Status is CallStatus.Dispatching or CallStatus.Queued)
        {
            // Vapi created the call but could not start it for lack of a slot: nobody was dialled.
            await RefusedAsync(VapiErrorKinds.ConcurrencyLimit, null, S.VapiCallId);
            return;
        }

        var target = news.Source == VapiEventSources.EndOfCallReport ? CallStatus.Ended : CallStatuses.FromVapi(news.Status);
        if (news.StartedAt is { } startedAt)
        {
            S.StartedAt = startedAt; // Vapi's own time wins over our estimate.
        }

        if (target is { } to && CallStatuses.IsForward(S.Status, to))
        {
            if (to >= CallStatus.Ringing && S.StartedAt is null)
            {
                S.StartedAt = now;
            }

            if (to == CallStatus.Ended)
            {
                S.EndedAt = news.EndedAt ?? now;
                S.EndedReason = news.EndedReason;
                S.Cost = news.Cost ?? S.Cost;
                S.HasFinalReport = IsFinalReport(news);
                await TransitionAsync(CallStatus.Ended, S.EndedReason);
                await SettleAsync();
            }
            else
            {
                await TransitionAsync(to);
            }
        }
        else if (S.Status == CallStatus.Ended && (IsFinalReport(news) || news.Status == "ended"))
        {
            // A report (or a repeat) after the end: complete the data, never the status.
            S.EndedReason = IsFinalReport(news) ? news.EndedReason ?? S.EndedReason : S.EndedReason ?? news.EndedReason;
            S.EndedAt = news.EndedAt ?? S.EndedAt;
            S.Cost = news.Cost ?? S.Cost;
            S.HasFinalReport |= IsFinalReport(news);
            await WriteAsync();
        }
        else
        {
            LogStale(logger, Id, news.Status ?? news.Source, S.Status);
            await WriteAsync();
        }

        if (S.Status == CallStatus.Ended && !S.EndedAnnounced)
        {
            if (S.HasFinalReport)
            {
                await AnnounceEndedAsync();
            }
            else
            {
                ArmReportTimer(O.EndOfCallReportWait);
            }
        }
    }

    /// <summary>The <c>call.ended</c> webhook, once: with the report's cost and times when it came in time.</summary>
    private async Task AnnounceEndedAsync()
    {
        S.EndedAnnounced = true;
        Owe(WebhookEventTypes.CallEnded, time.GetUtcNow());
        await WriteAsync();
        await CatchUpAsync();
        await DisarmWatchIfSettledAsync();
    }

    /// <summary>The end-of-call report, or a poll that found the call ended: what Vapi says then is final.</summary>
    private static bool IsFinalReport(VapiCallEvent news) =>
        news.Source == VapiEventSources.EndOfCallReport || (news.Source == VapiEventSources.Poll && news.Status == "ended");

    private static bool IsNeverStarted(VapiCallEvent news) =>
        string.Equals(news.EndedReason, VapiCallInfo.ConcurrencyLimitReason, StringComparison.Ordinal);
}
