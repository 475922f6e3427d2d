using CalendarGrains.ApiKeys;
using CalendarGrains.Common;
using CalendarGrains.Indexing;
using CalendarGrains.Security;
using CalendarGrains.Silo.Auth;
using CalendarGrains.Tests.Infrastructure;
using CalendarGrains.Webhooks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Orleans.TestingHost;

namespace CalendarGrains.Tests.Webhooks;

/// <summary>
/// Like <see cref="GrainClusterFixture"/> (two in-process silos, memory storage, the real grain
/// services), and its fake clock also drives the grains' timers (<see cref="TimeProviderNames.Grains"/>),
/// so advancing it runs the outbox's next attempt at once. Orleans' own background loops stay on real time.
/// </summary>
public sealed class WebhookClusterFixture : IAsyncLifetime
{
    /// <summary>Small, so the cap is reached by a test; every other test stays under it.</summary>
    public const int QueueCapacity = 8;

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 11, 24, 9, 0, 0, TimeSpan.Zero));

    public InProcessTestCluster Cluster { get; private set; } = null!;

    public IGrainFactory Grains => Cluster.Client;

    public async ValueTask InitializeAsync()
    {
        var key = ServiceHost.NewEncryptionKey();
        var builder = new InProcessTestClusterBuilder(2);
        builder.ConfigureSilo((_, silo) =>
        {
            GrainClusterFixture.AddGrainServices(silo, Time, key);
            silo.Services.AddKeyedSingleton<TimeProvider>(TimeProviderNames.Grains, Time);
            silo.Services.Configure<WebhookOptions>(options => options.QueueCapacity = QueueCapacity);
        });
        Cluster = builder.Build();
        await Cluster.DeployAsync();
    }

    public async ValueTask DisposeAsync() => await Cluster.DisposeAsync();
}
