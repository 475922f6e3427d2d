namespace CalendarGrains.Silo.WebConsole;

public static class ConsoleLinks
{
    /// <summary>Where to go after signing in: a console path given by the sign-in redirect, never another site.</summary>
    public static string LocalReturnUrl(string? returnUrl) =>
        returnUrl is { Length: > 0 } url && (url == ConsoleSetup.Path || url.StartsWith(ConsoleSetup.Path + "/", StringComparison.Ordinal)) &&
        !url.Contains("//", StringComparison.Ordinal) && !url.Contains('\\', StringComparison.Ordinal)
            ? url
            : ConsoleSetup.Path;
}
