using System.Net;
using CalendarGrains.Sandbox.Host;
using CalendarGrains.Silo.Hosting;
using CalendarGrains.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Hosting.Kubernetes;

namespace CalendarGrains.Tests.Hosting;

/// <summary>
/// <c>Orleans:Kubernetes=true</c> wires the Orleans Kubernetes hosting in Redis mode, without a
/// cluster here: the app is built, not started (starting needs the Kubernetes API).
/// </summary>
/// <remarks>The tests of one class run one at a time, so the pod variables they set do not leak.</remarks>
public sealed class KubernetesHostingTests(RedisServer redis)
{
    [Fact]
    public async Task RedisMode_WithKubernetesOn_AddsTheKubernetesClusterAgent()
    {
        var services = await ServicesOfAsync(Settings(kubernetes: true));

        Assert.Contains(services, d => d.ImplementationType == typeof(KubernetesClusterAgent));
    }

    [Fact]
    public async Task RedisMode_ByDefault_LeavesKubernetesOut()
    {
        var services = await ServicesOfAsync(Settings(kubernetes: null));

        Assert.DoesNotContain(services, d => d.ImplementationType == typeof(KubernetesClusterAgent));
    }

    [Fact]
    public async Task SandboxMode_WithKubernetesOn_LeavesKubernetesOut()
    {
        var services = await ServicesOfAsync(new() { ["Orleans:Kubernetes"] = "true" }, sandboxHost: true);

        Assert.DoesNotContain(services, d => d.ImplementationType == typeof(KubernetesClusterAgent));
    }

    [Fact]
    public async Task RedisMode_WithKubernetesOn_TakesTheNameFromThePod_ListensOnAnyAddress_AndKeepsTheConfiguredIdentity()
    {
        var settings = Settings(kubernetes: true);
        settings["Orleans:ServiceId"] = "configured-service";
        settings["Orleans:ClusterId"] = "configured-cluster";
        settings["Orleans:SiloPort"] = "11111";
        settings["Orleans:GatewayPort"] = "30000";
        // As the Deployment does: Orleans resolves the host's address before the package would read POD_IP.
        settings["Orleans:AdvertisedIPAddress"] = "10.1.2.3";
        using var pod = new PodEnvironment(new()
        {
            [KubernetesHostingOptions.PodNameEnvironmentVariable] = "calendargrains-7d9f-abcde",
            [KubernetesHostingOptions.PodNamespaceEnvironmentVariable] = "calendargrains",
            // The package would take these over Orleans:*; the Redis keys must not move.
            [KubernetesHostingOptions.ServiceIdEnvironmentVariable] = "other-service",
            [KubernetesHostingOptions.ClusterIdEnvironmentVariable] = "other-cluster",
        });
        await using var app = CalendarGrainsApp.Build(Args(settings));

        var endpoints = app.Services.GetRequiredService<IOptions<EndpointOptions>>().Value;
        var cluster = app.Services.GetRequiredService<IOptions<ClusterOptions>>().Value;
        var silo = app.Services.GetRequiredService<IOptions<SiloOptions>>().Value;

        Assert.Equal(IPAddress.Parse("10.1.2.3"), endpoints.AdvertisedIPAddress);
        Assert.Equal(new IPEndPoint(IPAddress.Any, 11111), endpoints.SiloListeningEndpoint);
        Assert.Equal(new IPEndPoint(IPAddress.Any, 30000), endpoints.GatewayListeningEndpoint);
        Assert.Equal("calendargrains-7d9f-abcde", silo.SiloName);
        Assert.Equal(("configured-service", "configured-cluster"), (cluster.ServiceId, cluster.ClusterId));
    }

    private Dictionary<string, string?> Settings(bool? kubernetes)
    {
        var settings = ServiceHost.InRedisMode(redis);
        settings.Remove("Orleans:AdvertisedIPAddress");
        settings["Admin:ApiKey"] = ServiceHost.AdminKey;
        settings["urls"] = "http://127.0.0.1:0";
        if (kubernetes is { } on)
        {
            settings["Orleans:Kubernetes"] = on ? "true" : "false";
        }

        return settings;
    }

    private static string[] Args(Dictionary<string, string?> settings) =>
        [.. settings.Select(pair => $"--{pair.Key}={pair.Value}")];

    private static async Task<List<ServiceDescriptor>> ServicesOfAsync(Dictionary<string, string?> settings, bool sandboxHost = false)
    {
        List<ServiceDescriptor> services = [];
        Action<WebApplicationBuilder> keep = builder => services = [.. builder.Services];
        await using var app = sandboxHost ? SandboxHostApp.Build(Args(settings), keep) : CalendarGrainsApp.Build(Args(settings), keep);
        return services;
    }

    /// <summary>Sets the variables a pod gets from the downward API, and restores them.</summary>
    private sealed class PodEnvironment : IDisposable
    {
        private readonly Dictionary<string, string?> _previous = [];

        public PodEnvironment(Dictionary<string, string> variables)
        {
            foreach (var (name, value) in variables)
            {
                _previous[name] = Environment.GetEnvironmentVariable(name);
                Environment.SetEnvironmentVariable(name, value);
            }
        }

        public void Dispose()
        {
            foreach (var (name, value) in _previous)
            {
                Environment.SetEnvironmentVariable(name, value);
            }
        }
    }
}
