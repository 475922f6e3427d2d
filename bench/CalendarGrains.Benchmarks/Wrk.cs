using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace CalendarGrains.Benchmarks;

/// <summary>Runs wrk (Debian's package) and reads its summary: requests/s and latency percentiles.</summary>
public static partial class Wrk
{
    public sealed record Result(string Name, double RequestsPerSecond, double P50Ms, double P99Ms, long Errors);

    public static async Task<Result> RunAsync(string name, Uri url, string? bearer, int threads, int connections, TimeSpan duration)
    {
        var script = Path.Combine(Path.GetTempPath(), $"cg-bench-{Guid.NewGuid():N}.lua");
        await File.WriteAllTextAsync(script, $$"""
            wrk.method = "POST"
            wrk.body = "{}"
            wrk.headers["Content-Type"] = "application/json"
            {{(bearer is null ? "" : $"wrk.headers[\"Authorization\"] = \"Bearer {bearer}\"")}}
            """);
        try
        {
            var start = new ProcessStartInfo("wrk")
            {
                ArgumentList = { "-t", threads.ToString(CultureInfo.InvariantCulture), "-c", connections.ToString(CultureInfo.InvariantCulture),
                    "-d", $"{(int)duration.TotalSeconds}s", "--latency", "-s", script, url.AbsoluteUri },
                RedirectStandardOutput = true,
            };
            using var wrk = Process.Start(start) ?? throw new InvalidOperationException("wrk did not start: apt-get install wrk");
            var output = await wrk.StandardOutput.ReadToEndAsync();
            await wrk.WaitForExitAsync();
            return Parse(name, output);
        }
        finally
        {
            File.Delete(script);
        }
    }

    private static Result Parse(string name, string output)
    {
        var rps = double.Parse(RequestsPerSecond().Match(output).Groups[1].Value, CultureInfo.InvariantCulture);
        var errors = Non2xx().Match(output) is { Success: true } m ? long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) : 0;
        return new Result(name, rps, Percentile(output, "50%"), Percentile(output, "99%"), errors);
    }

    private static double Percentile(string output, string label)
    {
        var match = Regex.Match(output, $@"^\s*{Regex.Escape(label)}\s+([\d.]+)(us|ms|s)\s*$", RegexOptions.Multiline);
        var value = double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
        return match.Groups[2].Value switch { "us" => value / 1000, "s" => value * 1000, _ => value };
    }

    [GeneratedRegex(@"Requests/sec:\s+([\d.]+)")]
    private static partial Regex RequestsPerSecond();

    [GeneratedRegex(@"Non-2xx or 3xx responses:\s+(\d+)")]
    private static partial Regex Non2xx();
}
