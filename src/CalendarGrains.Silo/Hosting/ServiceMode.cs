using Microsoft.Extensions.Options;

namespace CalendarGrains.Silo.Hosting;

/// <summary>
/// How this process runs, decided from configuration alone: a Redis-backed cluster member when
/// <c>Redis:ConnectionString</c> is set, otherwise (only in the sandbox host) one silo in memory.
/// </summary>
public sealed record ServiceMode(string? RedisConnectionString, bool SandboxEnabled)
{
    public const string SandboxKey = "Sandbox:Enabled";

    public bool UsesRedis => !string.IsNullOrWhiteSpace(RedisConnectionString);

    /// <param name="configuration">The process's configuration.</param>
    /// <param name="sandboxHost">
    /// True in the sandbox host, whose sandbox (emulators, demo tenant) is on by default without
    /// Redis. The production silo has no sandbox and refuses to run without Redis: a container that
    /// lost its Redis setting must not run on, keeping refresh tokens in memory.
    /// </param>
    public static ServiceMode From(IConfiguration configuration, bool sandboxHost)
    {
        var redis = configuration["Redis:ConnectionString"];
        var sandbox = configuration.GetValue<bool?>(SandboxKey);
        if (!sandboxHost)
        {
            List<string> problems = [];
            if (string.IsNullOrWhiteSpace(redis))
            {
                problems.Add("Redis:ConnectionString is not set: CalendarGrains.Silo runs only as a member of a cluster on Redis. For the one-process sandbox (in memory, with emulators of Google and Vapi) run `dotnet run --project src/CalendarGrains.Sandbox.Host`.");
            }

            if (sandbox == true)
            {
                problems.Add($"{SandboxKey} is true, but CalendarGrains.Silo has no sandbox: run CalendarGrains.Sandbox.Host for one.");
            }

            if (problems.Count > 0)
            {
                throw new OptionsValidationException(nameof(ServiceMode), typeof(ServiceMode), problems);
            }

            return new ServiceMode(redis, SandboxEnabled: false);
        }

        return new ServiceMode(redis, sandbox ?? string.IsNullOrWhiteSpace(redis));
    }
}
