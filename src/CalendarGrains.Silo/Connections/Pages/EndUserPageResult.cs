using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;

namespace CalendarGrains.Silo.Connections.Pages;

/// <summary>
/// Renders an <see cref="EndUserPage"/>: one small HTML document, every value HTML-encoded, its only
/// style inline and allowed by hash, no script, no external resource, under a strict
/// Content-Security-Policy.
/// </summary>
public sealed class EndUserPageResult(EndUserPage page) : IResult, IStatusCodeHttpResult, IContentTypeHttpResult
{
    public const string ContentTypeValue = "text/html; charset=utf-8";

    /// <summary>Readable at 200% zoom and in dark mode, focus visible, contrast above WCAG AA.</summary>
    private const string Css =
        ":root{color-scheme:light dark;--fg:#1f2328;--muted:#4b535d;--bg:#fff;--card:#f6f8fa;--accent:#0b57d0;--ok:#146c2e;--bad:#b3261e}"
        + "@media (prefers-color-scheme:dark){:root{--fg:#e6edf3;--muted:#b1bac4;--bg:#0d1117;--card:#161b22;--accent:#8ab4f8;--ok:#6dd58c;--bad:#ffb4ab}}"
        + "*{box-sizing:border-box}body{margin:0;font:1rem/1.5 system-ui,-apple-system,'Segoe UI',sans-serif;color:var(--fg);background:var(--bg)}"
        + "main{max-width:34rem;margin:4rem auto;padding:2rem;background:var(--card);border-radius:12px}"
        + ".platform{margin:0 0 .5rem;color:var(--muted);font-weight:600}h1{margin:0 0 1rem;font-size:1.6rem;line-height:1.25}"
        + ".success h1{color:var(--ok)}.problem h1{color:var(--bad)}p{margin:0 0 1rem}.detail{color:var(--muted);font-size:.9rem;word-break:break-word}"
        + ".actions{display:flex;flex-wrap:wrap;gap:.75rem;margin-top:1.5rem}"
        + ".button{display:inline-block;padding:.65rem 1.25rem;border-radius:8px;background:var(--accent);color:var(--bg);font-weight:600;text-decoration:none}"
        + ".link{display:inline-block;padding:.65rem .25rem;color:var(--accent);font-weight:600}"
        + "a:focus-visible{outline:3px solid var(--fg);outline-offset:3px}";

    /// <summary>
    /// Nothing may load or run; the one inline style is allowed by its hash. No form posts anywhere,
    /// no site may frame the page (clickjacking), and no base URL may be injected.
    /// </summary>
    public static readonly string ContentSecurityPolicy =
        $"default-src 'none'; style-src '{StyleHash()}'; img-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private static readonly HtmlEncoder Encoder = HtmlEncoder.Default;

    public EndUserPage Page => page;

    public int? StatusCode => page.Status;

    public string ContentType => ContentTypeValue;

    public Task ExecuteAsync(HttpContext httpContext)
    {
        var response = httpContext.Response;
        response.StatusCode = page.Status;
        response.ContentType = ContentTypeValue;
        ApplySecurityHeaders(response.Headers);
        return response.WriteAsync(Render(page), Encoding.UTF8, httpContext.RequestAborted);
    }

    /// <summary>The headers every end-user page carries (also used by the other pages of the flow).</summary>
    public static void ApplySecurityHeaders(IHeaderDictionary headers)
    {
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers["Referrer-Policy"] = "no-referrer";
        headers.CacheControl = "no-store";
    }

    public static string Render(EndUserPage page)
    {
        var platform = page.PlatformName;
        var title = platform is null ? page.Heading : $"{page.Heading} · {platform}";
        var html = new StringBuilder(2048)
            .Append("<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
            .Append("<meta name=\"referrer\" content=\"no-referrer\">\n")
            .Append("<title>").Append(Encoder.Encode(title)).Append("</title>\n")
            .Append("<style>").Append(Css).Append("</style>\n</head>\n<body>\n")
            .Append("<main class=\"").Append(page.Tone == EndUserPageTone.Success ? "success" : "problem").Append("\" aria-labelledby=\"heading\">\n");
        if (platform is not null)
        {
            html.Append("<p class=\"platform\">").Append(Encoder.Encode(platform)).Append("</p>\n");
        }

        html.Append("<h1 id=\"heading\">").Append(Encoder.Encode(page.Heading)).Append("</h1>\n")
            .Append("<p id=\"message\">").Append(Encoder.Encode(page.Message)).Append("</p>\n");
        if (page.Detail is not null)
        {
            html.Append("<p class=\"detail\" id=\"detail\">").Append(Encoder.Encode(page.Detail)).Append("</p>\n");
        }

        var back = SafeLink(page.BackUrl);
        var retry = SafeLink(page.RetryUrl);
        var onward = SafeLink(page.ContinueUrl);
        if (back is not null || retry is not null || onward is not null)
        {
            html.Append("<p class=\"actions\">\n");
            if (onward is not null)
            {
                html.Append("<a class=\"button\" id=\"continue\" href=\"").Append(Encoder.Encode(onward)).Append("\">Continue to Google</a>\n");
            }

            if (back is not null)
            {
                var label = platform is null ? "Go back" : $"Back to {platform}";
                html.Append("<a class=\"").Append(onward is null ? "button" : "link").Append("\" id=\"back\" href=\"").Append(Encoder.Encode(back)).Append("\">").Append(Encoder.Encode(label)).Append("</a>\n");
            }

            if (retry is not null)
            {
                html.Append("<a class=\"link\" id=\"retry\" href=\"").Append(Encoder.Encode(retry)).Append("\">Try again</a>\n");
            }

            html.Append("</p>\n");
        }
        else if (page.Tone == EndUserPageTone.Success)
        {
            html.Append("<p class=\"detail\">You can close this window.</p>\n");
        }

        return html.Append("</main>\n</body>\n</html>\n").ToString();
    }

    /// <summary>Only absolute http(s) URLs become links: never <c>javascript:</c> or a relative trick.</summary>
    private static string? SafeLink(string? url) =>
        url is not null && Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp)
            ? uri.AbsoluteUri
            : null;

    private static string StyleHash() => "sha256-" + Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(Css)));
}
