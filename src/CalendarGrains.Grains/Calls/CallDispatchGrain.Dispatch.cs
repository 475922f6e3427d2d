using CalendarGrains.Connections;
using CalendarGrains.Tenants;
using CalendarGrains.Vapi;

namespace CalendarGrains.Calls;

public sealed partial class CallDispatchGrain
{
    /// <summary>How far before our first attempt Vapi's clock may put the call's <c>createdAt</c>.</summary>
    private static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(5);

    /// <summary>At most this many pages of <c>GET /call</c> are searched per reconciliation, one page per turn.</summary>
    private const int MaxListPages = 10;

    /// <summary>The search of Vapi's recent calls under way (pages read so far); null between searches.</summary>
    private VapiSearch? _search;

    public async Task SlotGrantedAsync(string tenantId)
    {
        if (!Exists)
        {
            // Note: read again before giving the slot away. This activation may have read the state
            // before the call's creation stored it (a second activation while the cluster changed).
            await state.ReadStateAsync();
        }

        if (!Exists)
        {
            // A line entry without a call (its creation failed half-way): give the slot back.
            await GrainFactory.GetGrain<ICallQueueGrain>(tenantId).ReleaseAsync(Id, null);
            return;
        }

        if (CallStatuses.IsFinal(S.Status))
        {
            S.HoldsSlot = true; // Canceled while the grant was on its way: give it back.
            await SettleAsync();
            return;
        }

        if (S.Status != CallStatus.Pending)
        {
            await Queue.DispatchedAsync(Id); // A repeated grant: the first one was used.
            return;
        }

        S.HoldsSlot = true;
        using var budget = grainOptions.Value.StartOperation();
        await DispatchAsync(budget.Token);
    }

    /// <summary>Checks what may have changed while the call waited, then places it (within the turn's budget).</summary>
    private async Task DispatchAsync(CancellationToken budget)
    {
        var apiKey = await ApiKeyAsync();
        if (apiKey is null)
        {
            await FailAsync("vapi_not_configured", "The tenant has no Vapi API key.");
            return;
        }

        var connection = await GrainFactory.Connection(D.TenantId, D.ConnectionId).GetAsync(D.TenantId);
        if (connection is null || connection.Status == ConnectionStatus.Revoked)
        {
            await FailAsync("connection_not_found", "The connection was deleted before the call could be placed.");
            return;
        }

        if (connection.Status == ConnectionStatus.NeedsReauth)
        {
            await FailAsync("connection_needs_reauth", "The connection needs to be reconnected by its user; nobody was dialled.");
            return;
        }

        var body = VapiCallRequest.Build(Id, D, VapiCredentials.ItemFor(connection));
        var now = time.GetUtcNow();
        S.DispatchAttempts++;
        S.FirstDispatchAt ??= now;
        S.LastDispatchAt = now;
        S.Unconfirmed = true;
        if (S.Status == CallStatus.Dispatching)
        {
            await WriteAsync();
        }
        else
        {
            await TransitionAsync(CallStatus.Dispatching); // Stores "about to dispatch" before the request leaves.
        }

        LogDispatching(logger, Id, S.DispatchAttempts);
        VapiCreateResult outcome;
        try
        {
            outcome = await vapi.CreateCallAsync(apiKey, body, budget);
        }
        catch (OperationCanceledException) when (budget.IsCancellationRequested)
        {
            outcome = new VapiCallAmbiguous(VapiErrorKinds.Timeout); // The request may have reached Vapi: find out before sending again.
        }

        switch (outcome)
        {
            case VapiCallCreated { Call.NeverStarted: true } blocked:
                await RefusedAsync(VapiErrorKinds.ConcurrencyLimit, null, blocked.Call.Id);
                break;
            case VapiCallCreated created:
                await AdoptAsync(created.Call.Id, NewsOf(created.Call));
                await Queue.DispatchedAsync(Id);
                break;
            case VapiCallRefused refused:
                await RefusedAsync(refused.Kind, refused.RetryAfter, null);
                break;
            case VapiCallRejected rejected:
                S.Unconfirmed = false;
                await FailAsync(rejected.Code, $"Vapi answered {rejected.StatusCode}: {rejected.Message}");
                break;
            case VapiCallAmbiguous ambiguous:
                // Note: the grace for Vapi to list the call counts from when the request was last in flight.
                S.UnconfirmedAttempts++;
                S.LastDispatchAt = time.GetUtcNow();
                LogAmbiguous(logger, Id, ambiguous.Kind);
                await Queue.DispatchedAsync(Id); // The next call may go; this one keeps its slot while we find out.
                ArmNextStep(TimeSpan.Zero, ReconcileAsync); // In a turn of its own: each turn stays within the budget.
                break;
        }
    }

    /// <summary>
    /// After an ambiguous <c>POST /call</c>: search Vapi's recent calls for our id, one page per turn.
    /// Found: it is ours. Not found: ask again until the visibility grace has passed, and only then
    /// send again (in a turn of its own).
    /// </summary>
    private async Task ReconcileAsync(CancellationToken budget)
    {
        if (S.Status == CallStatus.Dispatching && S.VapiCallId is not null)
        {
            _search = null;
            await FinishAdoptionAsync(budget);
            return;
        }

        if (S.Status != CallStatus.Dispatching || !S.Unconfirmed)
        {
            _search = null;
            return;
        }

        var apiKey = await ApiKeyAsync();
        var search = apiKey is null ? null : await SearchOnePageAsync(apiKey, budget);
        var now = time.GetUtcNow();
        if (search is { Found: { } found })
        {
            metrics.Reconciled("found");
            LogReconciled(logger, Id, found.Id);
            await AdoptAsync(found.Id, NewsOf(found));
        }
        else if (search is { Finished: false })
        {
            ArmNextStep(TimeSpan.Zero, ReconcileAsync); // The next page, in the next turn.
        }
        else if (search is { NeverStarted: { } blocked })
        {
            metrics.Reconciled("found");
            await RefusedAsync(VapiErrorKinds.ConcurrencyLimit, null, blocked.Id);
        }
        else if (search is not null && now - S.LastDispatchAt >= O.VisibilityGrace)
        {
            metrics.Reconciled("absent");
            if (S.UnconfirmedAttempts >= O.MaxDispatchAttempts)
            {
                S.Unconfirmed = false;
                await FailAsync("vapi_unavailable", $"Vapi did not confirm the call after {S.UnconfirmedAttempts} attempts, and has no trace of it.");
                return;
            }

            LogAbsent(logger, Id, S.DispatchAttempts);
            S.Unconfirmed = false; // Vapi was asked and has none: sending again is safe (a restart asks again).
            ArmNextStep(TimeSpan.Zero, DispatchAgainAsync);
        }
        else
        {
            metrics.Reconciled("retry");
            ArmNextStep(O.ReconcileDelay, ReconcileAsync);
        }
    }

    /// <summary>Sends again a call Vapi was found not to have, unless news came in between.</summary>
    private Task DispatchAgainAsync(CancellationToken budget) =>
        S.Status == CallStatus.Dispatching && !S.Unconfirmed && S.VapiCallId is null ? DispatchAsync(budget) : Task.CompletedTask;

    /// <summary>
    /// Reads the next page of the account's recent calls (newest first) and looks for ours. Null when
    /// Vapi could not be asked (the search starts over next time).
    /// </summary>
    private async Task<VapiSearch?> SearchOnePageAsync(string apiKey, CancellationToken budget)
    {
        var search = _search ??= new VapiSearch();
        var since = (S.FirstDispatchAt ?? time.GetUtcNow()) - ClockSkew;
        VapiReadResult page;
        try
        {
            page = await vapi.ListCallsAsync(apiKey, since, search.Before, VapiClient.MaxListLimit, budget);
        }
        catch (OperationCanceledException) when (budget.IsCancellationRequested)
        {
            page = new VapiUnavailable(VapiErrorKinds.Timeout);
        }

        if (page is not VapiCallsListed listed)
        {
            _search = null;
            return null;
        }

        search.Pages++;
        foreach (var call in listed.Calls.Where(c => c.OurCallId == Id && !S.AbandonedVapiCallIds.Contains(c.Id)))
        {
            if (!call.NeverStarted)
            {
                search.Found = call;
                break;
            }

            search.NeverStarted ??= call;
        }

        var oldest = listed.Calls.Min(c => c.CreatedAt);
        search.Finished = search.Found is not null || listed.Calls.Count < VapiClient.MaxListLimit || oldest is null || search.Pages >= MaxListPages;
        search.Before = oldest;
        if (search.Finished)
        {
            _search = null;
        }

        return search;
    }

    /// <summary>Vapi has this call for us: remember it, and apply what Vapi said about it.</summary>
    private async Task AdoptAsync(string vapiCallId, VapiCallEvent news)
    {
        var now = time.GetUtcNow();
        S.VapiCallId = vapiCallId;
        S.Unconfirmed = false;
        S.ConsecutiveRefusals = 0;
        S.LastError = null;
        S.LastVapiNewsAt = now;
        if (S.EligibleAt is { } eligible)
        {
            metrics.Dispatched(now - eligible);
        }

        await WriteAsync();
        await GrainFactory.GetGrain<IVapiCallLinkGrain>(vapiCallId).LinkAsync(D.TenantId, Id);
        LogAdopted(logger, Id, vapiCallId);
        await ApplyAsync(news);
        if (S.Status == CallStatus.Dispatching)
        {
            await TransitionAsync(CallStatus.Queued); // Vapi has it, whatever status it named (e.g. scheduled).
        }
    }

    /// <summary>
    /// An adoption cut off after it stored Vapi's call id (found by a chaos run: a silo killed
    /// there left the call dispatching for ever, as nothing else moves a call Vapi has, and Vapi's
    /// messages had gone to the dead silo). Finishes it from what Vapi says now.
    /// </summary>
    private async Task FinishAdoptionAsync(CancellationToken budget)
    {
        await GrainFactory.GetGrain<IVapiCallLinkGrain>(S.VapiCallId!).LinkAsync(D.TenantId, Id);
        await PollAsync(budget);
        if (S.Status == CallStatus.Dispatching)
        {
            await TransitionAsync(CallStatus.Queued); // Vapi has it (as in AdoptAsync), whatever the poll found.
        }

        await Queue.DispatchedAsync(Id);
    }

    /// <summary>A Call object read from Vapi (a create answer, a list, a poll), as news about our call.</summary>
    private VapiCallEvent NewsOf(VapiCallInfo call) =>
        new(D.TenantId, call.Id, VapiEventSources.Poll, call.Status, call.EndedReason, call.StartedAt, call.EndedAt, call.Cost);

    /// <summary>Vapi refused for lack of capacity, and dialled nobody: back to its place in line, after a backoff.</summary>
    private async Task RefusedAsync(string kind, TimeSpan? retryAfter, string? abandonedVapiCallId)
    {
        if (abandonedVapiCallId is not null)
        {
            S.AbandonedVapiCallIds.Add(abandonedVapiCallId);
            if (S.AbandonedVapiCallIds.Count > CallState.MaxAbandoned)
            {
                S.AbandonedVapiCallIds.RemoveAt(0);
            }
        }

        var now = time.GetUtcNow();
        S.Unconfirmed = false;
        S.VapiCallId = null;
        S.ConsecutiveRefusals++;
        var hold = RefusalBackoff.After(S.ConsecutiveRefusals, retryAfter, O);
        S.LastError = new CallError(
            kind == VapiErrorKinds.ConcurrencyLimit ? "vapi_concurrency_limit" : "vapi_rate_limited",
            "Vapi refused the call for now; nobody was dialled and it is back in line.",
            now);
        S.HoldsSlot = false;
        _lineConfirmedAt = null;
        await TransitionAsync(CallStatus.Pending, S.LastError.Code);
        LogRefused(logger, Id, kind, hold);
        try
        {
            if (S.QueueTicket is { } ticket)
            {
                await Queue.RequeueAsync(Id, ticket, hold);
                _lineConfirmedAt = time.GetUtcNow();
            }
            else
            {
                await EnqueueAsync();
            }
        }
        catch (Exception e)
        {
            // Stored as pending, but the queue may still count it as dispatched: without telling it
            // again the call would wait for ever, its slot lost. Soon, and on every tick until then.
            LogLineNotReached(logger, e, Id);
            ArmLineTimer(LineRetryDelay);
        }
    }

    private async Task FailAsync(string code, string message)
    {
        S.LastError = new CallError(code, message, time.GetUtcNow());
        LogFailed(logger, Id, code);
        await TransitionAsync(CallStatus.Failed, code);
        await SettleAsync();
    }

    /// <summary>The tenant's Vapi private key, opened only for the request about to use it.</summary>
    private async Task<string?> ApiKeyAsync()
    {
        var secrets = await GrainFactory.GetGrain<ITenantGrain>(D.TenantId).GetSecretsAsync();
        return secrets?.VapiApiKey is { } sealedKey ? protector.Unprotect(sealedKey, TenantSecretPurposes.VapiApiKey(D.TenantId)) : null;
    }

    /// <summary>A search of Vapi's recent calls for ours, page by page (kept in memory: a new activation starts over).</summary>
    private sealed class VapiSearch
    {
        public DateTimeOffset? Before { get; set; }

        public int Pages { get; set; }

        public bool Finished { get; set; }

        public VapiCallInfo? Found { get; set; }

        public VapiCallInfo? NeverStarted { get; set; }
    }
}
