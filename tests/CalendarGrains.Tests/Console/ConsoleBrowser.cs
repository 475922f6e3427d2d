using System.Diagnostics;
using System.Text.Json;

namespace CalendarGrains.Tests.WebConsole;

/// <summary>
/// <c>tests/console-browser/run.mjs</c>: playwright-core (pinned, installed by <c>npm ci</c>) driving
/// Debian's <c>/usr/bin/chromium</c>. Nothing is downloaded; <c>.ci/run</c> installs both.
/// </summary>
public static class ConsoleBrowser
{
    /// <summary>Set by <c>.ci/run</c>: there a missing browser, node or module fails the test instead of skipping it.</summary>
    public const string RequiredVariable = "CG_REQUIRE_CONSOLE_BROWSER";

    public const string Chromium = "/usr/bin/chromium";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>The script, or skips (locally) / fails (where required) saying what is missing.</summary>
    public static string Locate()
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "CalendarGrains.sln")))
        {
            root = root.Parent;
        }

        var folder = Path.Combine(root?.FullName ?? "", "tests", "console-browser");
        var node = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator)
            .Any(directory => directory.Length > 0 && File.Exists(Path.Combine(directory, "node")));
        var missing = !File.Exists(Chromium) ? $"{Chromium} is not installed (apt-get install chromium)"
            : !node ? "node is not on the PATH"
            : !File.Exists(Path.Combine(folder, "node_modules", "playwright-core", "package.json")) ? $"playwright-core is not installed (run: npm ci --prefix {folder})"
            : null;
        if (missing is not null)
        {
            Assert.False(Environment.GetEnvironmentVariable(RequiredVariable) == "1", $"The console browser test must run here, but {missing}.");
            Assert.Skip($"The console browser test cannot run here: {missing}.");
        }

        return Path.Combine(folder, "run.mjs");
    }

    /// <summary>Runs the walk with <paramref name="plan"/>; answers what the browser saw.</summary>
    public static async Task<JsonElement> RunAsync(string script, object plan, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo("node", [script])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetDirectoryName(script)!,
            Environment = { ["CONSOLE_PLAN"] = JsonSerializer.Serialize(plan, Json) },
        };
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromMinutes(4));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        Assert.True(process.ExitCode == 0, $"node exited {process.ExitCode}: {await stderr}");
        return JsonDocument.Parse(await stdout).RootElement;
    }
}
