using System.Globalization;

namespace CalendarGrains.NangoImport;

/// <summary>What to move from where to where; secrets may come from the environment (better than the command line, which <c>ps</c> shows).</summary>
public sealed record ImportOptions(
    Uri NangoUrl,
    string NangoSecretKey,
    string Integration,
    Uri TargetUrl,
    string TargetApiKey,
    int Concurrency = ImportOptions.DefaultConcurrency,
    int PageSize = ImportOptions.DefaultPageSize,
    bool Validate = true,
    bool DryRun = false,
    string? ReportPath = null)
{
    public const int DefaultConcurrency = 8;
    public const int DefaultPageSize = 500;
    public const string DefaultIntegration = "google-calendar";

    public const string Usage = """
        calendargrains-nango-import: moves every connection of one Nango integration to CalendarGrains,
        keeping connection ids, end users and metadata. Safe to re-run: what is already here is skipped.

          --nango-url URL          Nango's API base URL                  (or NANGO_HOST)
          --nango-secret-key KEY   Nango environment secret key          (or NANGO_SECRET_KEY)
          --integration KEY        Nango provider config key             (default google-calendar)
          --target-url URL         CalendarGrains base URL               (or CALENDARGRAINS_URL)
          --target-api-key KEY     CalendarGrains tenant API key cgk_... (or CALENDARGRAINS_API_KEY)
          --concurrency N          connections in flight, 1..64          (default 8)
          --page-size N            Nango list page size, 1..2000         (default 500)
          --no-validate            store refresh tokens without a validation refresh at Google
          --dry-run                read both sides, change nothing, report what would happen
          --report PATH            also write the report as JSON to PATH

        Exit code: 0 all imported or already there, 1 some connections failed (listed), 2 bad usage or Nango unreachable.
        """;

    public override string ToString() => $"ImportOptions({NangoUrl} {Integration} -> {TargetUrl}, dry run {DryRun})";

    /// <summary>Parses the command line, with the environment as the fallback for URLs and keys.</summary>
    public static bool TryParse(IReadOnlyList<string> args, Func<string, string?> environment, out ImportOptions? options, out string? error)
    {
        (options, error) = (null, null);
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var flags = new HashSet<string>(StringComparer.Ordinal);
        string[] valued = ["--nango-url", "--nango-secret-key", "--integration", "--target-url", "--target-api-key", "--concurrency", "--page-size", "--report"];
        string[] switches = ["--no-validate", "--dry-run", "--help", "-h"];
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            var eq = arg.IndexOf('=', StringComparison.Ordinal);
            var (name, inline) = eq > 0 ? (arg[..eq], arg[(eq + 1)..]) : (arg, null);
            if (switches.Contains(name) && inline is null)
            {
                flags.Add(name);
            }
            else if (valued.Contains(name))
            {
                var value = inline ?? (i + 1 < args.Count ? args[++i] : null);
                if (value is null)
                {
                    error = $"{name} needs a value.";
                    return false;
                }

                values[name] = value;
            }
            else
            {
                error = $"Unknown argument '{name}'.";
                return false;
            }
        }

        if (flags.Contains("--help") || flags.Contains("-h"))
        {
            error = "";
            return false;
        }

        string? Get(string name, string? variable) => values.GetValueOrDefault(name) ?? (variable is null ? null : environment(variable));
        var nangoUrl = Get("--nango-url", "NANGO_HOST");
        var nangoKey = Get("--nango-secret-key", "NANGO_SECRET_KEY");
        var targetUrl = Get("--target-url", "CALENDARGRAINS_URL");
        var targetKey = Get("--target-api-key", "CALENDARGRAINS_API_KEY");
        var missing = new[] { ("--nango-url", nangoUrl), ("--nango-secret-key", nangoKey), ("--target-url", targetUrl), ("--target-api-key", targetKey) }
            .Where(pair => string.IsNullOrWhiteSpace(pair.Item2)).Select(pair => pair.Item1).ToList();
        if (missing.Count > 0)
        {
            error = $"Missing {string.Join(", ", missing)}.";
            return false;
        }

        if (!TryUrl(nangoUrl!, out var nango) || !TryUrl(targetUrl!, out var target))
        {
            error = "--nango-url and --target-url must be absolute http(s) URLs.";
            return false;
        }

        if (!TryInt(values.GetValueOrDefault("--concurrency"), DefaultConcurrency, 1, 64, out var concurrency)
            || !TryInt(values.GetValueOrDefault("--page-size"), DefaultPageSize, 1, 2000, out var pageSize))
        {
            error = "--concurrency must be 1..64 and --page-size 1..2000.";
            return false;
        }

        options = new ImportOptions(
            nango, nangoKey!, Get("--integration", null) ?? DefaultIntegration, target, targetKey!,
            concurrency, pageSize, Validate: !flags.Contains("--no-validate"), DryRun: flags.Contains("--dry-run"), values.GetValueOrDefault("--report"));
        return true;
    }

    private static bool TryUrl(string text, out Uri url) =>
        Uri.TryCreate(text.TrimEnd('/') + "/", UriKind.Absolute, out url!) && url.Scheme is "http" or "https";

    private static bool TryInt(string? text, int fallback, int min, int max, out int value)
    {
        value = fallback;
        return text is null || (int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out value) && value >= min && value <= max);
    }
}
