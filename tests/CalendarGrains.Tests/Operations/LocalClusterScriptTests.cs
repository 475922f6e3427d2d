using System.Diagnostics;
using CalendarGrains.Tests.Deploy;
using CalendarGrains.Tests.Infrastructure;

namespace CalendarGrains.Tests.Operations;

/// <summary>
/// scripts/local-cluster, the offline cluster the README points to: started in its check mode on
/// free ports with the binaries built for these tests, it must come up, work across both silos,
/// stop everything in order, and log no warning or failure on the way.
/// </summary>
public sealed class LocalClusterScriptTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromMinutes(4);

    [Fact]
    public async Task Check_StartsRedisTheEmulatorsAndTwoSilos_WorksAcrossThem_AndStopsQuietly()
    {
        if (!OnPath("curl") || !OnPath("setsid"))
        {
            Assert.Skip("scripts/local-cluster needs curl and setsid on the PATH (.ci/run installs curl).");
        }

        var logs = Directory.CreateTempSubdirectory("cg-local-cluster-").FullName;
        var start = new ProcessStartInfo("bash")
        {
            ArgumentList = { RepositoryFiles.PathOf("scripts/local-cluster"), "--check" },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            Environment =
            {
                ["CG_BIN"] = AppContext.BaseDirectory,
                ["CG_LOG_DIR"] = logs,
                ["CG_REDIS_PORT"] = FreePort.Next().ToString(),
                ["CG_EMULATOR_PORT"] = FreePort.Next().ToString(),
                ["CG_HTTP_PORTS"] = $"{FreePort.Next()} {FreePort.Next()}",
                ["CG_SILO_PORTS"] = $"{FreePort.Next()} {FreePort.Next()}",
                ["CG_GATEWAY_PORTS"] = $"{FreePort.Next()} {FreePort.Next()}",
            },
        };
        using var script = Process.Start(start)!;
        var output = script.StandardOutput.ReadToEndAsync(CancellationToken.None);
        var error = script.StandardError.ReadToEndAsync(CancellationToken.None);
        using (var deadline = new CancellationTokenSource(Deadline))
        {
            try
            {
                await script.WaitForExitAsync(deadline.Token);
            }
            catch (OperationCanceledException)
            {
                script.Kill(entireProcessTree: true);
                throw new TimeoutException($"scripts/local-cluster --check did not finish within {Deadline}: {await output}{await error}");
            }
        }

        Assert.True(script.ExitCode == 0, $"exit code {script.ExitCode}:\n{await output}\n{await error}");
        Assert.Contains("two silos active, a tenant created on one and read on the other", await output, StringComparison.Ordinal);
        Assert.Contains("Admin key", await output, StringComparison.Ordinal);
        foreach (var silo in new[] { "silo1.log", "silo2.log" })
        {
            var log = await File.ReadAllTextAsync(Path.Combine(logs, silo), CancellationToken.None);
            var loud = QuietLog.Loud(log);
            Assert.True(loud.Count == 0, $"{silo}: {loud.Count} warnings or failures:\n{string.Join('\n', loud)}\n\n{log}");
            Assert.Contains("Stopping: /health/ready answers 503", log, StringComparison.Ordinal);
        }

        Directory.Delete(logs, recursive: true);
    }

    private static bool OnPath(string tool) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Any(directory => File.Exists(Path.Combine(directory, tool)));
}
