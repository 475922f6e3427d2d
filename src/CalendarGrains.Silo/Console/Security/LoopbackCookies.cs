using System.Net;
using Microsoft.AspNetCore.CookiePolicy;

namespace CalendarGrains.Silo.WebConsole.Security;

/// <summary>
/// The console's cookies are HttpOnly and SameSite=Strict, and Secure unless the browser is on
/// this machine talking to a loopback address (the sandbox and tests run on plain
/// <c>http://127.0.0.1</c>). Behind a TLS-terminating proxy the request arrives as plain HTTP, yet
/// the cookie is still Secure: the browser sees HTTPS.
/// </summary>
public static class LoopbackCookies
{
    public static void Configure(CookiePolicyOptions options)
    {
        options.HttpOnly = HttpOnlyPolicy.Always;
        options.MinimumSameSitePolicy = SameSiteMode.Strict;
        options.Secure = CookieSecurePolicy.SameAsRequest;
        options.OnAppendCookie = cookie => cookie.CookieOptions.Secure |= !IsLoopback(cookie.Context);
        options.OnDeleteCookie = cookie => cookie.CookieOptions.Secure |= !IsLoopback(cookie.Context);
    }

    /// <summary>Both ends on this machine: a loopback peer, and a loopback name or address in the Host header.</summary>
    public static bool IsLoopback(HttpContext context)
    {
        if (context.Connection.RemoteIpAddress is not { } peer || !IPAddress.IsLoopback(peer))
        {
            return false;
        }

        var host = context.Request.Host.Host;
        return string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase)
            || (IPAddress.TryParse(host, out var address) && IPAddress.IsLoopback(address));
    }
}
