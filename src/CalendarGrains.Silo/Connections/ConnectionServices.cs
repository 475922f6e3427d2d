using CalendarGrains.Google.Calendar;
using CalendarGrains.Connections;
using CalendarGrains.Google;
using CalendarGrains.Silo.Google;
using CalendarGrains.Silo.Nango;
using CalendarGrains.Telemetry;
using Microsoft.Extensions.Options;

namespace CalendarGrains.Silo.Connections;

public static class ConnectionServices
{
    public static IServiceCollection AddConnectionServices(this IServiceCollection services)
    {
        services.AddOptions<GoogleOptions>().BindConfiguration(GoogleOptions.Section);
        services.AddOptions<ConnectSessionOptions>().BindConfiguration(ConnectSessionOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<ConnectSessionOptions>, ConnectSessionOptionsValidator>();
        services.AddSingleton<IGoogleEndpoints, ConfiguredGoogleEndpoints>();
        services.AddSingleton<GoogleOAuthClient>();
        services.AddGoogleOAuthHttpClients();
        services.AddSingleton<ConnectionIndex>();
        services.AddSingleton<ConnectionImports>();
        services.AddSingleton<ConnectionListing>();
        services.AddSingleton<Pages.ConnectStepPages>();
        services.AddNangoServices();
        services.AddSingleton<CalendarGrainsMetrics>();
        services.AddGoogleCalendarClient();
        services.AddSingleton<Vapi.VapiServerSecret>();
        services.AddSingleton<Tools.CalendarTools>();
        services.AddSingleton<Tools.CalendarZoneCache>();
        return services;
    }
}
