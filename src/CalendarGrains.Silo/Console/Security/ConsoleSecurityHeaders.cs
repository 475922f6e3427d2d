namespace CalendarGrains.Silo.WebConsole.Security;

/// <summary>
/// The console's response headers: a strict Content-Security-Policy (only our own scripts and
/// styles, no inline code of either kind, forms post only to us, never framed), no referrer, no
/// caching of pages (they may show a secret once).
/// </summary>
public static class ConsoleSecurityHeaders
{
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; " +
        "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    public static void Apply(HttpResponse response)
    {
        var headers = response.Headers;
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers.XFrameOptions = "DENY";
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "no-referrer";
        headers["Cross-Origin-Opener-Policy"] = "same-origin";
        headers["Cross-Origin-Resource-Policy"] = "same-origin";
        // Note: exactly what anti-forgery sets on pages with forms, so it has nothing to override (and log).
        headers.CacheControl = "no-cache, no-store";
        headers.Pragma = "no-cache";
    }
}
