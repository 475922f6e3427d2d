namespace CalendarGrains.Silo.Operations;

/// <summary>
/// <c>CalendarGrains.Silo --probe &lt;url&gt;</c>: one GET, exit code 0 on a 2xx answer, 1 otherwise.
/// The container health check: the ASP.NET runtime image has neither curl nor wget.
/// </summary>
public static class HealthProbe
{
    public const string Argument = "--probe";

    /// <summary>The exit code when the arguments are not <c>--probe &lt;absolute http url&gt;</c>.</summary>
    public const int UsageError = 2;

    public static bool IsRequested(string[] args) => args.Length > 0 && args[0] == Argument;

    public static async Task<int> RunAsync(string[] args, TextWriter error, TimeSpan timeout)
    {
        if (args.Length != 2 || !Uri.TryCreate(args[1], UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
        {
            await error.WriteLineAsync($"usage: {Argument} <absolute http url>, e.g. {Argument} http://127.0.0.1:8080/health/live");
            return UsageError;
        }

        using var http = new HttpClient { Timeout = timeout };
        try
        {
            using var response = await http.GetAsync(url);
            if (response.IsSuccessStatusCode)
            {
                return 0;
            }

            await error.WriteLineAsync($"{url} answered {(int)response.StatusCode}");
            return 1;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            await error.WriteLineAsync($"{url} did not answer: {e.Message}");
            return 1;
        }
    }
}
