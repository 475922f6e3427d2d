using CalendarGrains.Silo.Hosting;
using CalendarGrains.Silo.Operations;

if (HealthProbe.IsRequested(args))
{
    return await HealthProbe.RunAsync(args, Console.Error, TimeSpan.FromSeconds(5));
}

return await ServiceRunner.RunAsync(args, arguments => CalendarGrainsApp.Build(arguments), Console.Error, "CalendarGrains.Silo");
