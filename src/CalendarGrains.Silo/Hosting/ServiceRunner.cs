using Microsoft.Extensions.Options;

namespace CalendarGrains.Silo.Hosting;

/// <summary>
/// Runs the service as a program: a setting that is missing or wrong is the operator's to fix, so
/// it ends the process with one sentence naming it (exit code 1, no stack trace), before the host
/// starts and logs anything; a command line that is not <c>--Setting=value</c> pairs exits with 2.
/// </summary>
public static class ServiceRunner
{
    public const int Failed = 1;
    public const int BadUsage = 2;

    public static async Task<int> RunAsync(string[] args, Func<string[], WebApplication> build, TextWriter error, string program)
    {
        if (CommandLine.Problem(args) is { } usage)
        {
            await error.WriteLineAsync($"{program}: {usage}");
            await error.WriteLineAsync($"usage: {program} [--Setting=value | --Setting value]...   (standard .NET configuration, e.g. --Redis:ConnectionString=127.0.0.1:6379)");
            return BadUsage;
        }

        WebApplication app;
        try
        {
            app = build(args);
            // Note: the host would validate the options too, but only after logging "Hosting failed
            // to start" with a stack trace; validating first keeps the refusal to one sentence.
            app.Services.GetService<IStartupValidator>()?.Validate();
        }
        catch (Exception e) when (SettingsProblems(e) is { Count: > 0 } problems)
        {
            await error.WriteLineAsync(CannotStart(program, problems));
            return Failed;
        }
        catch (Exception e)
        {
            // Not a setting: a bug, so the whole exception, once.
            await error.WriteLineAsync($"{program} cannot start: {e}");
            return Failed;
        }

        await using (app)
        {
            try
            {
                await app.RunAsync();
                return 0;
            }
            catch (Exception e) when (SettingsProblems(e) is { Count: > 0 } problems)
            {
                await error.WriteLineAsync(CannotStart(program, problems));
                return Failed;
            }
            catch (Exception e)
            {
                // The host has logged it with its stack trace (e.g. a port in use): say so once, exit 1.
                await error.WriteLineAsync($"{program} stopped: {e.Message}");
                return Failed;
            }
        }
    }

    /// <summary>One problem on the line; several as a list, each naming its setting.</summary>
    public static string CannotStart(string program, IReadOnlyList<string> problems) => problems.Count == 1
        ? $"{program} cannot start: {problems[0]}"
        : $"{program} cannot start:{string.Concat(problems.Select(problem => $"{Environment.NewLine}  - {problem}"))}";

    /// <summary>The sentences of a configuration failure (validation, or a value of the wrong type); empty for anything else.</summary>
    public static IReadOnlyList<string> SettingsProblems(Exception exception) => exception switch
    {
        OptionsValidationException invalid => [.. invalid.Failures],
        AggregateException many when many.InnerExceptions.All(inner => SettingsProblems(inner).Count > 0) =>
            [.. many.InnerExceptions.SelectMany(SettingsProblems)],
        // ConfigurationBinder: "Failed to convert configuration value at 'Orleans:SiloPort' to type 'System.Int32'."
        InvalidOperationException { InnerException: FormatException or OverflowException or ArgumentException } binding => [binding.Message],
        _ => [],
    };
}
