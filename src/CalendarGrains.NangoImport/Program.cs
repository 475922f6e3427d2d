using CalendarGrains.NangoImport;
using Spectre.Console;

using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancel.Cancel();
};

// A progress bar on a terminal; plain counts when the output is redirected or on CI.
var interactive = !Console.IsOutputRedirected
    && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("CI"))
    && AnsiConsole.Profile.Capabilities.Interactive;
using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(100) };
return await ImportCommand.RunAsync(args, Environment.GetEnvironmentVariable, Console.Out, interactive ? AnsiConsole.Console : null, http, cancel.Token);
