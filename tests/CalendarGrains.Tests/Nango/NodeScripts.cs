using System.Diagnostics;
using System.Text.Json;

namespace CalendarGrains.Tests.Nango;

/// <summary>
/// Runs a script of one of the repository's npm test projects (<c>tests/nango-client</c>,
/// <c>tests/nango-frontend</c>) with <c>node</c> and reads the JSON it prints.
/// </summary>
internal static class NodeScripts
{
    public static string RepositoryRoot
    {
        get
        {
            var root = new DirectoryInfo(AppContext.BaseDirectory);
            while (root is not null && !File.Exists(Path.Combine(root.FullName, "CalendarGrains.sln")))
            {
                root = root.Parent;
            }

            return root?.FullName ?? "";
        }
    }

    /// <summary>
    /// <c>node</c> and the project's folder, or a skip saying what to install. Where
    /// <paramref name="requiredBy"/> names a set variable (CI sets it), something missing fails instead.
    /// </summary>
    public static (string Node, string Project) Require(string project, IEnumerable<string> packages, IEnumerable<string> files, params string[] requiredBy)
    {
        var folder = Path.Combine(RepositoryRoot, "tests", project);
        var node = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator)
            .Select(directory => Path.Combine(directory, "node")).FirstOrDefault(File.Exists);
        var missingPackage = packages.FirstOrDefault(package => !File.Exists(Path.Combine(folder, "node_modules", package, "package.json")));
        var missingFile = files.FirstOrDefault(file => !File.Exists(file));
        var missing = node is null ? "node is not on the PATH"
            : missingPackage is not null ? $"{missingPackage} is not installed (run: npm ci --prefix tests/{project})"
            : missingFile is not null ? $"{missingFile} is missing"
            : null;
        if (missing is not null)
        {
            var requiring = requiredBy.FirstOrDefault(name => !string.IsNullOrEmpty(Environment.GetEnvironmentVariable(name)));
            Assert.False(requiring is not null, $"{requiring} is set, so this test must run, but {missing}.");
            Assert.Skip($"Cannot run here: {missing}.");
        }

        return (node!, folder);
    }

    public static async Task<JsonElement> RunAsync(string node, string script, IReadOnlyDictionary<string, string> environment, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(node, [script])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetDirectoryName(script)!,
        };
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{Path.GetFileName(script)} did not finish within {timeout}: {await stderr}");
        }

        Assert.True(process.ExitCode == 0, $"node {Path.GetFileName(script)} exited {process.ExitCode}: {await stderr}");
        return JsonDocument.Parse(await stdout).RootElement;
    }

    public static JsonElement Ok(JsonElement results, string call)
    {
        var result = results.GetProperty(call);
        Assert.True(result.GetProperty("ok").GetBoolean(), $"{call} failed: {result}");
        return result.GetProperty("value");
    }

    public static JsonElement Failed(JsonElement results, string call, int status, string code)
    {
        var result = results.GetProperty(call);
        Assert.False(result.GetProperty("ok").GetBoolean(), $"{call} should have failed: {result}");
        Assert.Equal(status, result.GetProperty("status").GetInt32());
        Assert.Equal(code, result.GetProperty("data").GetProperty("error").GetProperty("code").GetString());
        return result;
    }
}
