using CalendarGrains.Sandbox.Host;
using CalendarGrains.Silo.Hosting;

return await ServiceRunner.RunAsync(args, arguments => SandboxHostApp.Build(arguments), Console.Error, "CalendarGrains.Sandbox.Host");
