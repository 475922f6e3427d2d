using System.Net;
using CalendarGrains.Calls;
using CalendarGrains.Common;
using CalendarGrains.Connections;
using CalendarGrains.Indexing;
using CalendarGrains.Webhooks;
using Orleans.Configuration;
using Orleans.Dashboard;
using Orleans.Persistence;
using Orleans.Serialization;
using Orleans.Storage;
using Microsoft.Extensions.Options;

namespace CalendarGrains.Silo.Hosting;

/// <summary>Configures the co-hosted silo for the mode: Redis cluster member, or embedded sandbox.</summary>
public static class OrleansHosting
{
    public static WebApplicationBuilder AddCalendarGrainsSilo(this WebApplicationBuilder builder, ServiceMode mode)
    {
        var settings = builder.Configuration.GetSection(OrleansSettings.Section).Get<OrleansSettings>() ?? new OrleansSettings();
        var redis = mode.UsesRedis ? new SharedRedis(mode.RedisConnectionString!) : null;
        if (redis is not null)
        {
            builder.Services.AddSingleton(redis);
            builder.Services.AddSingleton<IRedisDatabaseProvider>(redis);
            builder.Services.AddSingleton<IOrderedIndex>(new RedisOrderedIndex(redis, settings.ServiceId));
            builder.Services.AddSingleton<IWebhookStore>(services => new RedisWebhookStore(redis, settings.ServiceId, services.GetRequiredService<Serializer>()));
        }
        else
        {
            builder.Services.AddSingleton<IOrderedIndex, InMemoryOrderedIndex>();
            builder.Services.AddSingleton<IWebhookStore, InMemoryWebhookStore>();
        }

        // A workaround for a false "Participant check thread has not completed" warning at start.
        builder.Services.AddKeyedSingleton<TimeProvider>(TimeProviderNames.Membership, new MembershipClock());
        builder.UseOrleans(silo =>
        {
            if (Telemetry.TelemetrySetup.TracingEnabled(builder.Configuration))
            {
                // Note: only when traces are recorded: its two filters run on every grain call,
                // the token hot path's included, and without a listener they only cost.
                silo.AddActivityPropagation();
            }

            silo.AddOutgoingGrainCallFilter<ResendOnSiloLossFilter>();
            silo.AddDashboard();
            if (redis is not null && settings.Kubernetes)
            {
                // Note: before ClusterOptions below, so Orleans:ServiceId/ClusterId win over the
                // package's ORLEANS_SERVICE_ID/ORLEANS_CLUSTER_ID: the Redis keys, the indexes and
                // the pod labels the package selects its pods by must all use the same identity.
                silo.UseKubernetesHosting();
            }

            silo.Configure<ClusterOptions>(cluster =>
            {
                cluster.ClusterId = settings.ClusterId;
                cluster.ServiceId = settings.ServiceId;
            });

            // Failure detection, e.g. Orleans:Membership:ProbeTimeout and NumMissedProbesLimit:
            // with the defaults a silo killed without a goodbye is declared dead after about a
            // minute and a half; operators trade that against false suspicions on a busy network.
            silo.Configure<ClusterMembershipOptions>(builder.Configuration.GetSection($"{OrleansSettings.Section}:Membership"));

            // Note: Orleans itself binds Orleans:Messaging (e.g. ResponseTimeout, 30 s: the longest a
            // caller can stall on a silo that died without a goodbye) and reads Orleans:Reminders as
            // a provider declaration, so the reminder options live under Orleans:ReminderOptions.
            silo.Configure<ReminderOptions>(builder.Configuration.GetSection($"{OrleansSettings.Section}:ReminderOptions"));

            if (redis is null)
            {
                silo.UseLocalhostClustering(settings.SiloPort, settings.GatewayPort, serviceId: settings.ServiceId, clusterId: settings.ClusterId);
                silo.AddMemoryGrainStorage(StorageNames.State);
                silo.AddMemoryGrainStorage(StorageNames.IdempotencyKeys);
                silo.AddMemoryGrainStorage(StorageNames.ConnectSessions);
                silo.UseInMemoryReminderService();
            }
            else
            {
                ConfigureRedisCluster(silo, settings, redis, mode.RedisConnectionString!);
            }
        });
        return builder;
    }

    private static void ConfigureRedisCluster(ISiloBuilder silo, OrleansSettings settings, SharedRedis redis, string connectionString)
    {
        if (string.IsNullOrWhiteSpace(settings.AdvertisedIPAddress))
        {
            silo.ConfigureEndpoints(settings.SiloPort, settings.GatewayPort);
        }
        else
        {
            silo.ConfigureEndpoints(IPAddress.Parse(settings.AdvertisedIPAddress), settings.SiloPort, settings.GatewayPort);
        }

        var configuration = SharedRedis.Configuration(connectionString);
        silo.UseRedisClustering(options =>
        {
            options.ConfigurationOptions = configuration;
            options.CreateMultiplexer = async _ => (await redis.ConnectAsync(), IsShared: true);
        });
        AddRedisStorage(StorageNames.State, expiry: null);
        // Claims expire on their own (the grain also treats an old claim as free, for a record
        // Redis has not dropped yet or an activation that outlived it).
        AddRedisStorage(StorageNames.IdempotencyKeys, expiry: services => services.GetRequiredService<IOptions<CallOptions>>().Value.IdempotencyKeyRetention);
        // Sessions expire the same way: one nobody finishes is gone once nothing could use it.
        AddRedisStorage(StorageNames.ConnectSessions, expiry: services => services.GetRequiredService<IOptions<ConnectSessionOptions>>().Value.RecordLifetime);
        silo.UseRedisReminderService(options =>
        {
            options.ConfigurationOptions = configuration;
            options.CreateMultiplexer = async _ => (await redis.ConnectAsync(), IsShared: true);
        });

        void AddRedisStorage(string name, Func<IServiceProvider, TimeSpan>? expiry) =>
            silo.AddRedisGrainStorage(name, (OptionsBuilder<RedisStorageOptions> optionsBuilder) => optionsBuilder.Configure<Serializer, IServiceProvider>((options, serializer, services) =>
            {
                options.ConfigurationOptions = configuration;
                options.CreateMultiplexer = async _ => (await redis.ConnectAsync(), IsShared: true);
                // Note: the Orleans binary format, not JSON: the [Id]s on state members keep stored
                // state readable across renames, and byte[] (sealed secrets) round-trips exactly.
                options.GrainStorageSerializer = new OrleansGrainStorageSerializer(serializer);
                options.DeleteStateOnClear = true;
                options.EntryExpiry = expiry?.Invoke(services);
            }));
    }
}
