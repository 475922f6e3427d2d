using CalendarGrains.ApiKeys;
using CalendarGrains.Common;
using CalendarGrains.Indexing;
using CalendarGrains.Security;
using CalendarGrains.Silo.Auth;
using CalendarGrains.Webhooks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Orleans.TestingHost;

namespace CalendarGrains.Tests.Infrastructure;

/// <summary>
/// An in-process Orleans test cluster (two silos) with the grains' real services, memory storage
/// and a fake clock, for tests of grain behaviour without HTTP.
/// </summary>
public sealed class GrainClusterFixture : IAsyncLifetime
{
    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 11, 24, 9, 0, 0, TimeSpan.Zero));

    public InProcessTestCluster Cluster { get; private set; } = null!;

    public IGrainFactory Grains => Cluster.Client;

    public async ValueTask InitializeAsync()
    {
        var key = ServiceHost.NewEncryptionKey();
        var builder = new InProcessTestClusterBuilder(2);
        builder.ConfigureSilo((_, silo) => AddGrainServices(silo, Time, key));
        Cluster = builder.Build();
        await Cluster.DeployAsync();
    }

    /// <summary>The grains' real services on a test silo: memory storage, the fake product clock, one encryption key.</summary>
    public static void AddGrainServices(ISiloBuilder silo, FakeTimeProvider time, string encryptionKey)
    {
        silo.AddMemoryGrainStorage(StorageNames.State);
        silo.AddMemoryGrainStorage(StorageNames.IdempotencyKeys);
        silo.AddMemoryGrainStorage(StorageNames.ConnectSessions);
        silo.UseInMemoryReminderService();
        silo.Services.AddKeyedSingleton<TimeProvider>(ServiceTime.Key, time);
        silo.Services.AddSingleton<IOrderedIndex, InMemoryOrderedIndex>();
        silo.Services.AddSingleton<IApiKeyRevocationBus, InProcessApiKeyRevocationBus>();
        silo.Services.AddSingleton<ISecretProtector>(new AesGcmSecretProtector(Microsoft.Extensions.Options.Options.Create(
            new EncryptionOptions { ActiveKeyId = "k", Keys = { ["k"] = encryptionKey } })));
        // Grains under test may enqueue webhooks; the outbox needs its options and HTTP client.
        silo.Services.AddWebhookOutbox();
    }

    public async ValueTask DisposeAsync() => await Cluster.DisposeAsync();
}
