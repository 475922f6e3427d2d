using System.Diagnostics;
using System.Text.Json;

namespace CalendarGrains.Tests.Webhooks;

/// <summary>
/// Runs <c>tests/webhook-verify/verify.js</c>: the Standard Webhooks reference library for
/// JavaScript, installed by <c>npm ci --prefix tests/webhook-verify</c> (<c>.ci/run</c> does it).
/// </summary>
public static class WebhookVerifyScript
{
    /// <summary>Set by <c>.ci/run</c>: there a missing node or module is a failure, not a skip.</summary>
    public const string RequiredVariable = "CG_REQUIRE_WEBHOOK_VERIFY";

    /// <summary>The script's path, or a reason it cannot run here.</summary>
    public static (string? Script, string? Missing) Locate()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "tests", "webhook-verify", "verify.js")))
        {
            directory = directory.Parent;
        }

        if (directory is null)
        {
            return (null, "tests/webhook-verify/verify.js was not found above the test binaries");
        }

        var folder = Path.Combine(directory.FullName, "tests", "webhook-verify");
        if (!Directory.Exists(Path.Combine(folder, "node_modules", "standardwebhooks")))
        {
            return (null, "the standardwebhooks module is not installed: run `npm ci --prefix tests/webhook-verify`");
        }

        var onPath = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator)
            .Any(dir => dir.Length > 0 && File.Exists(Path.Combine(dir, "node")));
        return onPath ? (Path.Combine(folder, "verify.js"), null) : (null, "node is not on the PATH");
    }

    /// <summary>The script's exit code (0 = verified) and what it printed.</summary>
    public static async Task<(int ExitCode, string Output)> RunAsync(string script, string secret, IReadOnlyDictionary<string, string> headers, byte[] body)
    {
        var start = new ProcessStartInfo("node")
        {
            ArgumentList = { script },
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        var input = JsonSerializer.Serialize(new { secret, headers, bodyBase64 = Convert.ToBase64String(body) });
        await process.StandardInput.WriteAsync(input);
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output + await error);
    }
}
