using System.Globalization;
using CalendarGrains.Silo.Hosting;
using CalendarGrains.Tests.Infrastructure;
using YamlDotNet.RepresentationModel;

namespace CalendarGrains.Tests.Deploy;

/// <summary>deploy/compose.yaml held to the code (its schema is checked by deploy/validate/check).</summary>
public sealed class ComposeFileTests(RedisServer redis)
{
    [Fact]
    public async Task Silos_StopGracePeriod_CoversTheDrainAndShutdown()
    {
        var grace = Scalar(Silo(), "stop_grace_period");
        var budget = await SiloStop.BudgetAsync(redis);

        Assert.EndsWith("s", grace, StringComparison.Ordinal);
        Assert.True(
            int.Parse(grace[..^1], CultureInfo.InvariantCulture) > budget.TotalSeconds,
            $"stop_grace_period {grace} does not cover the silo's drain and shutdown ({budget.TotalSeconds} s)");
    }

    [Fact]
    public void EnvTemplate_SetsAPublicBaseUrlAProductionSiloAccepts()
    {
        var settings = RepositoryFiles.Read("deploy/.env.example").Split('\n')
            .Select(line => line.Trim())
            .Where(line => line.Length > 0 && !line.StartsWith('#'))
            .Select(line => line.Split('=', 2))
            .ToDictionary(pair => pair[0], pair => pair[1]);
        var options = new PublicBaseUrlOptions { PublicBaseUrl = settings[PublicBaseUrlOptions.Key] };

        Assert.DoesNotContain(PublicBaseUrlOptions.AllowInsecureKey, settings.Keys);
        Assert.True(new PublicBaseUrlOptionsValidator(new("redis:6379", SandboxEnabled: false)).Validate(null, options).Succeeded);
    }

    [Fact]
    public void Silos_AreHealthyWhenReady_ByTheImagesOwnProbe()
    {
        var test = ((YamlSequenceNode)((YamlMappingNode)Silo()["healthcheck"])["test"]).Select(n => ((YamlScalarNode)n).Value).ToList();

        Assert.Equal(["CMD", "dotnet", "CalendarGrains.Silo.dll", "--probe", "http://127.0.0.1:8080/health/ready"], test);
    }

    [Fact]
    public void Caddy_BalancesOverEverySiloService_ByReadiness()
    {
        var services = (YamlMappingNode)Root()["services"];
        var silos = services.Children
            .Where(s => ((YamlMappingNode)s.Value).Children.ContainsKey("<<"))
            .Select(s => $"{((YamlScalarNode)s.Key).Value}:8080")
            .ToList();
        var caddyfile = RepositoryFiles.Read("deploy/Caddyfile");

        Assert.Equal(["silo1:8080", "silo2:8080"], silos);
        Assert.Contains($"reverse_proxy {string.Join(' ', silos)} {{", caddyfile, StringComparison.Ordinal);
        Assert.Contains("health_uri /health/ready", caddyfile, StringComparison.Ordinal);
    }

    private static YamlMappingNode Root()
    {
        var yaml = new YamlStream();
        yaml.Load(new StringReader(RepositoryFiles.Read("deploy/compose.yaml")));
        return (YamlMappingNode)yaml.Documents[0].RootNode;
    }

    /// <summary>The x-silo block both silo services merge in.</summary>
    private static YamlMappingNode Silo() => (YamlMappingNode)Root()["x-silo"];

    private static string Scalar(YamlMappingNode node, string key) => ((YamlScalarNode)node[key]).Value!;
}
