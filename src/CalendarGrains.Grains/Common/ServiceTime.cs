using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace CalendarGrains.Common;

/// <summary>
/// The product's clock: a keyed <see cref="TimeProvider"/>, resolved with
/// <c>[FromKeyedServices(ServiceTime.Key)]</c>. Orleans reads the unkeyed TimeProvider for its own
/// timers and membership, so a test that fakes the product's time must not fake the runtime's.
/// </summary>
public static class ServiceTime
{
    public const string Key = "calendargrains";

    /// <summary>Uses the host's TimeProvider unless a test registered another under <see cref="Key"/> first.</summary>
    public static IServiceCollection AddServiceTime(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddKeyedSingleton<TimeProvider>(Key, static (provider, _) => provider.GetRequiredService<TimeProvider>());
        return services;
    }
}
