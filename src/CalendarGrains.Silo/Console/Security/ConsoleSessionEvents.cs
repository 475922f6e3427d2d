using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;

namespace CalendarGrains.Silo.WebConsole.Security;

/// <summary>Ends a console session whose key was revoked (or whose admin key was replaced) on its next request.</summary>
public sealed partial class ConsoleSessionEvents(ConsoleAuth auth, ILogger<ConsoleSessionEvents> logger) : CookieAuthenticationEvents
{
    public override async Task ValidatePrincipal(CookieValidatePrincipalContext context)
    {
        if (context.Principal is { } user && await auth.IsStillValidAsync(user))
        {
            return;
        }

        LogSessionEnded(logger);
        context.RejectPrincipal();
        await context.HttpContext.SignOutAsync(ConsoleAuth.Scheme);
    }

    [LoggerMessage(EventId = 1601, EventName = "ConsoleSessionEnded", Level = LogLevel.Information, Message = "A console session ended: its key was revoked or replaced")]
    private static partial void LogSessionEnded(ILogger logger);
}
