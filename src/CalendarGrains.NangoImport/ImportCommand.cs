using System.Text.Json;
using Spectre.Console;

namespace CalendarGrains.NangoImport;

/// <summary>The command line: parse, run, show progress and the report, answer the exit code.</summary>
public static class ImportCommand
{
    public const int Ok = 0;
    public const int SomeFailed = 1;
    public const int Unusable = 2;

    private static readonly JsonSerializerOptions ReportJson = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    /// <param name="args">The command line.</param>
    /// <param name="environment">Where missing URLs and keys are looked up (and <c>CI</c>).</param>
    /// <param name="output">Plain output; ignored when <paramref name="terminal"/> is given.</param>
    /// <param name="terminal">An interactive console: progress bar and tables instead of plain lines.</param>
    /// <param name="http">The HTTP client for both sides (tests pass their own).</param>
    /// <param name="cancellationToken">Stops the run.</param>
    public static async Task<int> RunAsync(
        string[] args, Func<string, string?> environment, TextWriter output, IAnsiConsole? terminal, HttpClient http, CancellationToken cancellationToken)
    {
        if (!ImportOptions.TryParse(args, environment, out var options, out var error))
        {
            await output.WriteLineAsync(error is { Length: > 0 } ? $"{error}\n\n{ImportOptions.Usage}" : ImportOptions.Usage);
            return error is { Length: > 0 } ? Unusable : Ok;
        }

        var importer = new Importer(
            new NangoSource(http, options!.NangoUrl, options.NangoSecretKey),
            new CalendarGrainsTarget(http, options.TargetUrl, options.TargetApiKey),
            options);
        IImportView view = terminal is null ? new PlainView(output) : new TerminalView(terminal);
        ImportReport report;
        try
        {
            report = await view.RunAsync(options, importer, cancellationToken);
        }
        catch (NangoUnavailableException unavailable)
        {
            await output.WriteLineAsync($"Cannot list Nango's connections: {unavailable.Message}");
            return Unusable;
        }
        catch (TargetUnavailableException refused)
        {
            await output.WriteLineAsync($"Cannot use CalendarGrains at {options.TargetUrl}: {refused.Message}");
            return Unusable;
        }
        catch (HttpRequestException unreachable)
        {
            await output.WriteLineAsync($"Cannot reach {options.TargetUrl} or {options.NangoUrl}: {unreachable.HttpRequestError}");
            return Unusable;
        }

        view.ShowReport(report);
        if (options.ReportPath is { } path)
        {
            await File.WriteAllTextAsync(path, JsonSerializer.Serialize(report, ReportJson), cancellationToken);
        }

        return report.Succeeded ? Ok : SomeFailed;
    }
}
