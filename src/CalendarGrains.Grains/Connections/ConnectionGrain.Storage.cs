namespace CalendarGrains.Connections;

/// <summary>Storage: writes one at a time, and secrets re-sealed under the active key.</summary>
public sealed partial class ConnectionGrain
{
    /// <summary>One write at a time: interleaved turns would otherwise race on the ETag.</summary>
    private Task PersistAsync() => OneAtATimeAsync(state.WriteStateAsync);

    private Task ClearAsync() => OneAtATimeAsync(state.ClearStateAsync);

    private async Task OneAtATimeAsync(Func<Task> storageOperation)
    {
        var previous = _writes;
        var done = new TaskCompletionSource();
        _writes = done.Task;
        try
        {
            await previous;
            await storageOperation();
        }
        finally
        {
            done.SetResult();
        }
    }

    private bool Reseal()
    {
        var changed = false;
        if (S.RefreshToken is { } refreshToken && protector.NeedsResealing(refreshToken))
        {
            var purpose = ConnectionSecretPurposes.RefreshToken(Id);
            S.RefreshToken = protector.Protect(protector.Unprotect(refreshToken, purpose), purpose);
            changed = true;
        }

        if (S.AccessToken is { } accessToken && protector.NeedsResealing(accessToken))
        {
            var purpose = ConnectionSecretPurposes.AccessToken(Id);
            S.AccessToken = protector.Protect(protector.Unprotect(accessToken, purpose), purpose);
            changed = true;
        }

        return changed;
    }
}
