using System.Diagnostics;
using System.Text;

namespace CalendarGrains.Tests.Infrastructure;

/// <summary>
/// The service as a real OS process (the built production silo binary, or the sandbox host's), for
/// what only separate processes show: forming a cluster, surviving restarts, being killed.
/// </summary>
public sealed class SiloProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private SiloProcess(Process process, Uri baseUrl)
    {
        _process = process;
        BaseUrl = baseUrl;
        Http = new HttpClient { BaseAddress = baseUrl };
        Http.DefaultRequestHeaders.Authorization = new("Bearer", ServiceHost.AdminKey);
    }

    public Uri BaseUrl { get; }

    /// <summary>With the admin key.</summary>
    public HttpClient Http { get; }

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>
    /// Starts the production silo binary (CalendarGrains.Silo) in Redis mode; without
    /// <c>Redis:ConnectionString</c>, or with <c>Sandbox:Enabled=true</c>, the sandbox host binary.
    /// </summary>
    public static async Task<SiloProcess> StartAsync(IReadOnlyDictionary<string, string?> settings, int httpPort, int siloPort, int gatewayPort)
    {
        var sandbox = string.IsNullOrEmpty(settings.GetValueOrDefault("Redis:ConnectionString"))
            || string.Equals(settings.GetValueOrDefault("Sandbox:Enabled"), "true", StringComparison.OrdinalIgnoreCase);
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = AppContext.BaseDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            ArgumentList =
            {
                Path.Combine(AppContext.BaseDirectory, sandbox ? "CalendarGrains.Sandbox.Host.dll" : "CalendarGrains.Silo.dll"),
                $"--urls=http://127.0.0.1:{httpPort}",
            },
        };
        // No drain unless a test asks for one: most tests stop silos only to restart them. Redis
        // mode requires PublicBaseUrl: this process's own loopback URL, allowed as insecure.
        var all = new Dictionary<string, string?>
        {
            ["Shutdown:DrainSeconds"] = "0",
            ["PublicBaseUrl"] = $"http://127.0.0.1:{httpPort}",
            ["AllowInsecurePublicBaseUrl"] = "true",
        };
        foreach (var (key, value) in settings)
        {
            all[key] = value;
        }

        all["Admin:ApiKey"] = ServiceHost.AdminKey;
        all["Orleans:SiloPort"] = siloPort.ToString();
        all["Orleans:GatewayPort"] = gatewayPort.ToString();
        foreach (var (key, value) in all.Where(pair => pair.Value is not null))
        {
            start.ArgumentList.Add($"--{key}={value}");
        }

        var process = Process.Start(start)!;
        var silo = new SiloProcess(process, new Uri($"http://127.0.0.1:{httpPort}"));
        process.OutputDataReceived += (_, line) => silo.Append(line.Data);
        process.ErrorDataReceived += (_, line) => silo.Append(line.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await Eventually.HoldsAsync(
                async () => !process.HasExited && (await silo.Http.GetAsync("/health/ready")).IsSuccessStatusCode || process.HasExited,
                TimeSpan.FromSeconds(60),
                $"silo on port {httpPort} ready");
        }
        catch (Exception e)
        {
            // Note: any failure, not only the deadline (the last probe's own error may surface
            // instead), or the process outlives the test and holds the machine.
            await silo.DisposeAsync();
            throw new InvalidOperationException($"The silo process did not become ready. Its output:\n{silo.Output}", e);
        }

        if (process.HasExited)
        {
            await process.WaitForExitAsync();
            var (code, output) = (process.ExitCode, silo.Output);
            await silo.DisposeAsync();
            throw new InvalidOperationException($"The silo process exited with code {code}. Its output:\n{output}");
        }

        return silo;
    }

    /// <summary>
    /// Runs the silo binary with exactly these arguments until it exits (e.g. a refusal to start),
    /// and answers its exit code and its two output streams, kept apart.
    /// </summary>
    public static async Task<(int ExitCode, string StandardOutput, string StandardError)> RunToExitAsync(IEnumerable<string> arguments, TimeSpan timeout)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = AppContext.BaseDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            ArgumentList = { Path.Combine(AppContext.BaseDirectory, "CalendarGrains.Silo.dll") },
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None);
            throw new TimeoutException($"The silo process did not exit within {timeout}. Its output:\n{await output}\n{await error}");
        }

        return (process.ExitCode, await output, await error);
    }

    /// <summary>SIGTERM: the graceful shutdown an orchestrator asks for. Answers the exit code.</summary>
    public async Task<int> StopAsync()
    {
        if (_process.HasExited)
        {
            return _process.ExitCode;
        }

        using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString()]))
        {
            await kill.WaitForExitAsync();
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(45));
        await _process.WaitForExitAsync(timeout.Token);
        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        Http.Dispose();
        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }
    }
}
