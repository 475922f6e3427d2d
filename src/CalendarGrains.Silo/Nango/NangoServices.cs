using Microsoft.Extensions.Options;

namespace CalendarGrains.Silo.Nango;

public static class NangoServices
{
    /// <summary>What the Nango-compatible routes need besides the connection services.</summary>
    public static IServiceCollection AddNangoServices(this IServiceCollection services)
    {
        services.AddOptions<NangoProxyOptions>().BindConfiguration(NangoProxyOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<NangoProxyOptions>, NangoProxyOptions.Validator>();
        services.AddSingleton<NangoProxyTargets>();
        services.AddNangoProxyClient();
        return services;
    }
}
