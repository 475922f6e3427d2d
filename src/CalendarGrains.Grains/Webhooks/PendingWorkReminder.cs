namespace CalendarGrains.Webhooks;

/// <summary>
/// A grain reminder that exists exactly while its grain has work pending, so a restart or a
/// deactivation cannot strand the work. Calls are chained and each reads <c>wanted</c> when it
/// runs, so an enqueue that interleaves with an unregistration still ends with a reminder.
/// </summary>
/// <remarks>Not thread-safe: call it from the grain's own scheduler only.</remarks>
internal sealed class PendingWorkReminder(IGrainBase grain, string name, TimeSpan period, Func<bool> wanted)
{
    private IGrainReminder? _reminder;
    private bool _known;
    private Task _last = Task.CompletedTask;

    /// <summary>Registers or unregisters the reminder to match <c>wanted</c>; completes when storage agrees.</summary>
    public Task SyncAsync()
    {
        _last = ChainAsync(_last);
        return _last;
    }

    private async Task ChainAsync(Task previous)
    {
        try
        {
            await previous;
        }
        catch (Exception)
        {
            // Its caller saw it; this call looks again.
        }

        if (wanted())
        {
            _reminder ??= await grain.RegisterOrUpdateReminder(name, period, period);
            _known = true;
            return;
        }

        if (_reminder is null && !_known)
        {
            // A new activation does not know whether an earlier one left a reminder behind.
            _reminder = await grain.GetReminder(name);
        }

        if (_reminder is not null)
        {
            await grain.UnregisterReminder(_reminder);
            _reminder = null;
        }

        _known = true;
    }
}
