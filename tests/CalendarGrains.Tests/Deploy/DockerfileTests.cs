using System.Diagnostics;
using System.Xml.Linq;
using CalendarGrains.Silo.Hosting;
using CalendarGrains.Tests.Infrastructure;

namespace CalendarGrains.Tests.Deploy;

/// <summary>
/// Docker cannot run here: these hold the Dockerfile to the code it packages, and run the
/// published silo the way the image does (its environment, its health check command).
/// </summary>
public sealed class DockerfileTests(RedisServer redis)
{
    private const string ImageUrl = "http://0.0.0.0:8080";
    private static readonly Dockerfile Image = Dockerfile.Load();

    [Fact]
    public void Image_ListensOnEveryInterface_AndExposesThatPortAndTheOrleansDefaults()
    {
        var defaults = new OrleansSettings();

        Assert.Equal(ImageUrl, Image.Environment["URLS"]);
        Assert.Equal([8080, defaults.SiloPort, defaults.GatewayPort], Image.ExposedPorts.Order());
    }

    [Fact]
    public void FinalStage_IsTheAspNetRuntime_AsTheNonRootAppUser()
    {
        var stage = Image.FinalStage.ToList();

        Assert.StartsWith("mcr.microsoft.com/dotnet/aspnet:10.0", stage[0].Arguments, StringComparison.Ordinal);
        Assert.Equal("$APP_UID", stage.Last(i => i.Keyword == "USER").Arguments);
        Assert.Equal(["dotnet", "CalendarGrains.Silo.dll"], Image.Entrypoint);
    }

    [Fact]
    public void RestoreStage_CopiesTheBuildFiles_AndEveryProjectTheSiloReferences()
    {
        var copied = Image.Instructions.Where(i => i.Keyword == "COPY").Select(i => i.Arguments).ToList();
        var projects = ProjectClosure("src/CalendarGrains.Silo/CalendarGrains.Silo.csproj");

        foreach (var file in new[] { "global.json", "Directory.Build.props", "Directory.Packages.props", "BannedSymbols.txt" }.Concat(projects))
        {
            Assert.True(copied.Any(c => c.Split(' ').Contains(file)), $"The Dockerfile does not COPY {file} before the restore.");
        }
    }

    [Fact]
    public void Image_BuildsFromTheSiloAlone_WithoutTheEmulatorsOrTheSandboxHost()
    {
        var projects = ProjectClosure("src/CalendarGrains.Silo/CalendarGrains.Silo.csproj");
        var instructions = Image.Instructions.Select(i => i.Arguments).ToList();

        Assert.Equal(
            ["src/CalendarGrains.Abstractions/CalendarGrains.Abstractions.csproj", "src/CalendarGrains.Grains/CalendarGrains.Grains.csproj", "src/CalendarGrains.Silo/CalendarGrains.Silo.csproj"],
            projects);
        Assert.DoesNotContain(instructions, arguments => arguments.Contains("CalendarGrains.Sandbox", StringComparison.Ordinal));
        Assert.DoesNotContain(instructions, arguments => arguments.Split(' ').Contains("src/"));
    }

    [Fact]
    public void SiloAssemblies_ReferenceNoEmulatorAssembly()
    {
        var service = new[] { "CalendarGrains.Silo", "CalendarGrains.Grains", "CalendarGrains.Abstractions" }
            .Select(name => System.Reflection.Assembly.Load(name))
            .ToList();

        Assert.All(service, assembly => Assert.DoesNotContain(
            assembly.GetReferencedAssemblies(),
            reference => reference.Name!.StartsWith("CalendarGrains.Sandbox", StringComparison.Ordinal)));
        Assert.All(service, assembly => Assert.DoesNotContain(
            assembly.GetTypes(),
            type => type.Namespace?.StartsWith("CalendarGrains.Sandbox", StringComparison.Ordinal) == true || type.Namespace?.Contains(".Sandbox", StringComparison.Ordinal) == true));
    }

    [Fact]
    public async Task PublishedSilo_WithTheImageEnvironment_ListensOnItsUrl_AndPassesTheImageHealthCheck()
    {
        var ct = TestContext.Current.CancellationToken;
        var url = $"http://127.0.0.1:{FreePort.Next()}";
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = AppContext.BaseDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            ArgumentList =
            {
                Path.Combine(AppContext.BaseDirectory, "CalendarGrains.Silo.dll"),
                $"--Orleans:SiloPort={FreePort.Next()}",
                $"--Orleans:GatewayPort={FreePort.Next()}",
            },
        };
        // What deploy/.env or the Kubernetes Secret give the container: the silo runs only in Redis mode.
        foreach (var (key, value) in ServiceHost.InRedisMode(redis))
        {
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        start.Environment["Admin__ApiKey"] = ServiceHost.AdminKey;
        start.Environment["PublicBaseUrl"] = "https://calendar.example.com";
        foreach (var (name, value) in Image.Environment)
        {
            // Note: loopback and a free port here; in the container it is every interface on 8080.
            start.Environment[name] = value.Replace(ImageUrl, url, StringComparison.Ordinal);
        }

        using var silo = Process.Start(start)!;
        silo.OutputDataReceived += (_, _) => { };
        silo.ErrorDataReceived += (_, _) => { };
        silo.BeginOutputReadLine();
        silo.BeginErrorReadLine();
        try
        {
            var healthCheck = Image.HealthCheckCommand.Select(arg => arg.Replace("http://127.0.0.1:8080", url, StringComparison.Ordinal)).ToList();
            await Eventually.HoldsAsync(
                async () => !silo.HasExited && await RunAsync(healthCheck, ct) == 0,
                TimeSpan.FromSeconds(60),
                $"the image's health check ({string.Join(' ', healthCheck)}) passes");
        }
        finally
        {
            silo.Kill(entireProcessTree: true);
            await silo.WaitForExitAsync(CancellationToken.None);
        }
    }

    private static async Task<int> RunAsync(List<string> command, CancellationToken ct)
    {
        var start = new ProcessStartInfo(command[0]) { WorkingDirectory = AppContext.BaseDirectory, RedirectStandardError = true };
        foreach (var arg in command.Skip(1))
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        _ = await process.StandardError.ReadToEndAsync(ct);
        await process.WaitForExitAsync(ct);
        return process.ExitCode;
    }

    /// <summary>The project and every project it references, as repository-relative paths.</summary>
    private static SortedSet<string> ProjectClosure(string project)
    {
        var found = new SortedSet<string>(StringComparer.Ordinal);
        var pending = new Stack<string>([project]);
        while (pending.TryPop(out var next))
        {
            if (!found.Add(next))
            {
                continue;
            }

            var directory = Path.GetDirectoryName(RepositoryFiles.PathOf(next))!;
            foreach (var reference in XDocument.Load(RepositoryFiles.PathOf(next)).Descendants("ProjectReference"))
            {
                var full = Path.GetFullPath(Path.Combine(directory, reference.Attribute("Include")!.Value.Replace('\\', '/')));
                pending.Push(Path.GetRelativePath(RepositoryFiles.Root, full).Replace('\\', '/'));
            }
        }

        return found;
    }
}
