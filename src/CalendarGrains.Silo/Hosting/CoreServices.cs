using CalendarGrains.ApiKeys;
using CalendarGrains.Common;
using CalendarGrains.Security;
using CalendarGrains.Silo.Auth;
using CalendarGrains.Tenants;
using CalendarGrains.Webhooks;
using Microsoft.Extensions.Options;

namespace CalendarGrains.Silo.Hosting;

/// <summary>The services the grains and endpoints share, chosen by the mode.</summary>
public static class CoreServices
{
    public static IServiceCollection AddCalendarGrainsCore(this IServiceCollection services, ServiceMode mode, IConfiguration configuration)
    {
        services.AddServiceTime();
        services.AddSingleton(mode);
        services.AddOptions<EncryptionOptions>().BindConfiguration(EncryptionOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<EncryptionOptions>, EncryptionOptionsValidator>();
        services.AddSingleton<ISecretProtector, AesGcmSecretProtector>();
        services.AddOptions<PublicBaseUrlOptions>().Configure<IConfiguration>((options, config) => config.Bind(options)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<PublicBaseUrlOptions>, PublicBaseUrlOptionsValidator>();
        services.AddOptions<TenantOptions>().BindConfiguration(TenantOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<TenantOptions>, TenantOptionsValidator>();
        services.AddSingleton<PublicUrls>();
        services.AddOptions<GrainOptions>().BindConfiguration(GrainOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<GrainOptions>, GrainOptionsValidator>();
        services.AddSingleton<Tenants.TenantAdministration>();
        services.AddWebhookOutbox();
        if (mode.UsesRedis)
        {
            var serviceId = configuration[$"{OrleansSettings.Section}:ServiceId"] ?? new OrleansSettings().ServiceId;
            services.AddSingleton<IApiKeyRevocationBus>(sp => new RedisApiKeyRevocationBus(sp.GetRequiredService<SharedRedis>(), serviceId));
        }
        else
        {
            services.AddSingleton<IApiKeyRevocationBus, InProcessApiKeyRevocationBus>();
        }

        return services;
    }
}
