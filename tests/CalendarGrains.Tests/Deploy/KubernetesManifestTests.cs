using CalendarGrains.Silo.Hosting;
using CalendarGrains.Tests.Infrastructure;
using k8s;
using k8s.Models;
using Orleans.Hosting.Kubernetes;

namespace CalendarGrains.Tests.Deploy;

/// <summary>
/// deploy/kubernetes/ read with the Kubernetes client's own typed models in strict mode (an unknown
/// or misspelt field fails, which the schema check in .ci/run lets through), then held to the code:
/// ports, probes, the hosting package's labels, environment and RBAC.
/// </summary>
public sealed class KubernetesManifestTests(RedisServer redis)
{
    private const string Folder = "deploy/kubernetes";

    public static TheoryData<string> ManifestFiles() =>
        [.. Directory.GetFiles(RepositoryFiles.PathOf(Folder), "*.yaml").Select(file => Path.GetFileName(file)).Order()];

    [Theory]
    [MemberData(nameof(ManifestFiles))]
    public void Manifest_LoadsStrictly_AsKnownKinds(string file)
    {
        var objects = KubernetesYaml.LoadAllFromString(RepositoryFiles.Read($"{Folder}/{file}"), strict: true);

        Assert.NotEmpty(objects);
        Assert.All(objects, o => Assert.IsAssignableFrom<IKubernetesObject>(o));
    }

    [Fact]
    public void Deployment_HasTheSiloPorts_Probes_AndPodIdentity()
    {
        var deployment = Single<V1Deployment>();
        var pod = deployment.Spec.Template;
        var silo = Assert.Single(pod.Spec.Containers);
        var defaults = new OrleansSettings();

        Assert.Equal(3, deployment.Spec.Replicas);
        Assert.Equal(
            new Dictionary<string, int> { ["http"] = 8080, ["silo"] = defaults.SiloPort, ["gateway"] = defaults.GatewayPort },
            silo.Ports.ToDictionary(p => p.Name, p => p.ContainerPort));
        Assert.Equal(("/health/ready", "http"), (silo.ReadinessProbe.HttpGet.Path, silo.ReadinessProbe.HttpGet.Port.Value));
        Assert.Equal(("/health/live", "http"), (silo.LivenessProbe.HttpGet.Path, silo.LivenessProbe.HttpGet.Port.Value));

        var env = silo.Env.ToDictionary(e => e.Name);
        Assert.Equal("true", env["Orleans__Kubernetes"].Value);
        Assert.Equal("metadata.name", env[KubernetesHostingOptions.PodNameEnvironmentVariable].ValueFrom.FieldRef.FieldPath);
        Assert.Equal("metadata.namespace", env[KubernetesHostingOptions.PodNamespaceEnvironmentVariable].ValueFrom.FieldRef.FieldPath);
        Assert.Equal("status.podIP", env[KubernetesHostingOptions.PodIPEnvironmentVariable].ValueFrom.FieldRef.FieldPath);
        Assert.Equal("status.podIP", env["Orleans__AdvertisedIPAddress"].ValueFrom.FieldRef.FieldPath);
        // The silo's identity is the labels the package selects pods by: one source for both.
        Assert.Equal($"metadata.labels['{KubernetesHostingOptions.ServiceIdLabel}']", env["Orleans__ServiceId"].ValueFrom.FieldRef.FieldPath);
        Assert.Equal($"metadata.labels['{KubernetesHostingOptions.ClusterIdLabel}']", env["Orleans__ClusterId"].ValueFrom.FieldRef.FieldPath);
        // Required in Redis mode, and it must be one a production silo accepts (HTTPS, not loopback).
        var publicBaseUrl = new PublicBaseUrlOptions { PublicBaseUrl = env[PublicBaseUrlOptions.Key].Value };
        Assert.True(new PublicBaseUrlOptionsValidator(new ServiceMode("redis:6379", SandboxEnabled: false)).Validate(null, publicBaseUrl).Succeeded);
        Assert.DoesNotContain(PublicBaseUrlOptions.AllowInsecureKey, env.Keys);
        Assert.Contains(KubernetesHostingOptions.ServiceIdLabel, pod.Metadata.Labels.Keys);
        Assert.Contains(KubernetesHostingOptions.ClusterIdLabel, pod.Metadata.Labels.Keys);
        AssertSelects(deployment.Spec.Selector.MatchLabels, pod);
    }

    [Fact]
    public async Task Deployment_RunsAsNonRoot_OnAReadOnlyRoot_WithTimeToDrain()
    {
        var pod = Single<V1Deployment>().Spec.Template.Spec;
        var silo = Assert.Single(pod.Containers);

        Assert.True(pod.SecurityContext.RunAsNonRoot);
        Assert.True(silo.SecurityContext.ReadOnlyRootFilesystem);
        Assert.False(silo.SecurityContext.AllowPrivilegeEscalation);
        Assert.Contains(silo.VolumeMounts, m => m.MountPath == "/tmp");
        Assert.NotNull(silo.Resources.Requests);
        Assert.NotNull(silo.Resources.Limits);
        var budget = await SiloStop.BudgetAsync(redis);
        Assert.True(
            pod.TerminationGracePeriodSeconds > budget.TotalSeconds,
            $"terminationGracePeriodSeconds {pod.TerminationGracePeriodSeconds} does not cover the silo's drain and shutdown ({budget.TotalSeconds} s)");
    }

    [Fact]
    public void Rbac_GrantsTheDeploymentsAccount_WhatTheHostingPackageCalls_AndNoMore()
    {
        var deployment = Single<V1Deployment>();
        var role = Single<V1Role>();
        var binding = Single<V1RoleBinding>();

        // KubernetesClusterAgent: ReadNamespacedPod, PatchNamespacedPod (its labels),
        // ListNamespacedPod and its watch; DeleteNamespacedPod only with DeleteDefunctSiloPods.
        var rule = Assert.Single(role.Rules);
        Assert.Equal([""], rule.ApiGroups);
        Assert.Equal(["pods"], rule.Resources);
        Assert.Equal(["get", "list", "patch", "watch"], rule.Verbs.Order());
        Assert.Equal(("Role", role.Metadata.Name), (binding.RoleRef.Kind, binding.RoleRef.Name));
        var subject = Assert.Single(binding.Subjects);
        Assert.Equal(("ServiceAccount", deployment.Spec.Template.Spec.ServiceAccountName), (subject.Kind, subject.Name));
        Assert.Equal(Single<V1ServiceAccount>().Metadata.Name, subject.Name);
    }

    [Fact]
    public void ServiceAndDisruptionBudget_SelectTheSilos()
    {
        var pod = Single<V1Deployment>().Spec.Template;
        var service = All<V1Service>().Single(s => s.Metadata.Name == "calendargrains");
        var budget = Single<V1PodDisruptionBudget>();

        AssertSelects(service.Spec.Selector, pod);
        Assert.Equal("http", Assert.Single(service.Spec.Ports).TargetPort.Value);
        AssertSelects(budget.Spec.Selector.MatchLabels, pod);
        Assert.Equal("1", budget.Spec.MaxUnavailable.Value);
    }

    [Fact]
    public void SecretReferences_NameSecretsAndKeysOfTheTemplate()
    {
        var secrets = All<V1Secret>().ToDictionary(s => s.Metadata.Name, s => s.StringData.Keys.ToHashSet());
        var containers = All<V1Deployment>().SelectMany(d => d.Spec.Template.Spec.Containers)
            .Concat(All<V1StatefulSet>().SelectMany(s => s.Spec.Template.Spec.Containers))
            .ToList();

        foreach (var secretRef in containers.SelectMany(c => c.EnvFrom ?? []).Select(e => e.SecretRef).OfType<V1SecretEnvSource>())
        {
            Assert.Contains(secretRef.Name, secrets.Keys);
        }

        foreach (var key in containers.SelectMany(c => c.Env ?? []).Select(e => e.ValueFrom?.SecretKeyRef).OfType<V1SecretKeySelector>())
        {
            Assert.True(secrets.TryGetValue(key.Name, out var keys) && keys.Contains(key.Key), $"No key {key.Key} in a Secret {key.Name}.");
        }

        Assert.Contains("Redis__ConnectionString", secrets["calendargrains"]);
        Assert.All(secrets.Values.SelectMany(k => k), key => Assert.DoesNotContain("-", key, StringComparison.Ordinal));
    }

    private static void AssertSelects(IDictionary<string, string> selector, V1PodTemplateSpec pod) =>
        Assert.All(selector, label => Assert.Equal(label.Value, pod.Metadata.Labels[label.Key]));

    private static T Single<T>() => Assert.Single(All<T>());

    private static IEnumerable<T> All<T>() => Directory.GetFiles(RepositoryFiles.PathOf(Folder), "*.yaml")
        .SelectMany(file => KubernetesYaml.LoadAllFromString(File.ReadAllText(file), strict: true))
        .OfType<T>();
}
