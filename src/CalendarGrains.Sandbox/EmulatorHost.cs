namespace CalendarGrains.Sandbox;

/// <summary>A web application that serves every emulator, standalone or in a test.</summary>
public static class EmulatorHost
{
    /// <summary>Builds the standalone emulator host (defaults to http://127.0.0.1:9090).</summary>
    public static WebApplication Build(string[] args)
    {
        var builder = WebApplication.CreateSlimBuilder(args);
        if (string.IsNullOrEmpty(builder.Configuration["urls"]))
        {
            builder.WebHost.UseUrls("http://127.0.0.1:9090");
        }

        builder.Services.AddEmulators();
        var app = builder.Build();
        app.MapEmulators(prefix: "");
        return app;
    }

    /// <summary>Starts the emulators on a free loopback port and answers the base URL (no trailing slash).</summary>
    public static async Task<(WebApplication App, Uri BaseUrl)> StartOnFreePortAsync(CancellationToken cancellationToken = default)
    {
        var app = Build(["--urls", "http://127.0.0.1:0"]);
        await app.StartAsync(cancellationToken);
        return (app, new Uri(app.Urls.First()));
    }
}
