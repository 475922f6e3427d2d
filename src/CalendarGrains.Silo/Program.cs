using CalendarGrains.Silo.Hosting;
using CalendarGrains.Silo.Operations;
using Microsoft.Extensions.Options;

if (HealthProbe.IsRequested(args))
{
    return await HealthProbe.RunAsync(args, Console.Error, TimeSpan.FromSeconds(5));
}

try
{
    await using var app = CalendarGrainsApp.Build(args);
    await app.RunAsync();
    return 0;
}
catch (OptionsValidationException invalid)
{
    // A missing or bad setting is the operator's to fix: say which, without a stack trace.
    await Console.Error.WriteLineAsync($"CalendarGrains cannot start: {string.Join(" ", invalid.Failures)}");
    return 1;
}
