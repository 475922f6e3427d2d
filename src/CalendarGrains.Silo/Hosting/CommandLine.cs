namespace CalendarGrains.Silo.Hosting;

/// <summary>
/// The command line is configuration only: <c>--Key=value</c>, <c>--Key value</c> or <c>/Key=value</c>.
/// .NET's command-line provider silently ignores anything else, so a typo (<c>-urls</c>, a stray
/// word) would start the service with settings the operator did not mean.
/// </summary>
public static class CommandLine
{
    /// <summary>A sentence about the first argument that is not a setting, or null when all are.</summary>
    public static string? Problem(IReadOnlyList<string> args)
    {
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            var key = arg.StartsWith("--", StringComparison.Ordinal) ? arg[2..]
                : arg.StartsWith('/') ? arg[1..]
                : null;
            if (key is null)
            {
                return arg.StartsWith('-')
                    ? $"'{arg}' is not an option: settings start with two dashes (--Setting=value)."
                    : $"unexpected argument '{arg}': settings are --Setting=value.";
            }

            var equals = key.IndexOf('=', StringComparison.Ordinal);
            if (equals == 0 || key.Length == 0)
            {
                return $"'{arg}' names no setting.";
            }

            if (equals < 0)
            {
                if (i + 1 >= args.Count)
                {
                    return $"'{arg}' has no value: use {arg}=value.";
                }

                i++;
            }
        }

        return null;
    }
}
