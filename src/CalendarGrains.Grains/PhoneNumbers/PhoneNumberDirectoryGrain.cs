using CalendarGrains.Common;

namespace CalendarGrains.PhoneNumbers;

/// <inheritdoc cref="IPhoneNumberDirectoryGrain"/>
public sealed class PhoneNumberDirectoryGrain(
    [PersistentState("phonenumbers", StorageNames.State)] IPersistentState<PhoneNumberDirectoryState> state) : Grain, IPhoneNumberDirectoryGrain
{
    public async Task<PhoneNumberSetOutcome> SetAsync(PhoneNumberRoute route)
    {
        ArgumentNullException.ThrowIfNull(route);
        var routes = state.State.Routes;
        var existing = routes.GetValueOrDefault(route.Key);
        if (existing is null && routes.Count >= PhoneNumberLimits.MaxPerTenant)
        {
            return PhoneNumberSetOutcome.Full;
        }

        routes[route.Key] = existing is null ? route : route with { CreatedAt = existing.CreatedAt };
        await state.WriteStateAsync();
        return existing is null ? PhoneNumberSetOutcome.Created : PhoneNumberSetOutcome.Updated;
    }

    public Task<PhoneNumberRoute?> GetAsync(string key) => Task.FromResult(state.State.Routes.GetValueOrDefault(key));

    public Task<IReadOnlyList<PhoneNumberRoute>> ListAsync(string? after, int limit) =>
        Task.FromResult<IReadOnlyList<PhoneNumberRoute>>(state.State.Routes
            .Where(entry => after is null || string.CompareOrdinal(entry.Key, after) > 0)
            .OrderBy(entry => entry.Key, StringComparer.Ordinal)
            .Take(limit)
            .Select(entry => entry.Value)
            .ToList());

    public async Task<bool> RemoveAsync(string key)
    {
        if (!state.State.Routes.Remove(key))
        {
            return false;
        }

        await state.WriteStateAsync();
        return true;
    }

    public Task<PhoneNumberRoute?> ResolveAsync(string? phoneNumberId, string? number)
    {
        var routes = state.State.Routes;
        var route = (phoneNumberId is { Length: > 0 } id ? routes.GetValueOrDefault(id) : null)
            ?? (number is { Length: > 0 } n ? routes.GetValueOrDefault(n) : null);
        return Task.FromResult(route);
    }
}

[GenerateSerializer, Alias("cg.PhoneNumberDirectoryState")]
public sealed class PhoneNumberDirectoryState
{
    [Id(0)] public Dictionary<string, PhoneNumberRoute> Routes { get; set; } = new(StringComparer.Ordinal);
}
