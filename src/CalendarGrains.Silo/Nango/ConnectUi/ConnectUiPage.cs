using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;

namespace CalendarGrains.Silo.Nango.ConnectUi;

/// <summary>
/// The Connect UI's document: a card with one heading, one message and the buttons the script shows
/// as the flow goes on. Every value HTML-encoded; its one style inline and allowed by hash; its one
/// script, <c>connect-ui.js</c>, allowed by URL; it may reach this service (its session read and
/// websocket) and nothing else. Unlike the other pages of the flow it may be framed, by any site:
/// that is what <c>openConnectUI()</c> does, and the page only ever acts for the token its frame's
/// parent hands it.
/// </summary>
public sealed class ConnectUiPage(Uri service, string? theme, bool detectClosedWindow) : IResult, IContentTypeHttpResult
{
    public const string ContentTypeValue = "text/html; charset=utf-8";

    /// <summary>
    /// A dimmed backdrop (the SDK's frame is transparent and covers the app) and a centred card, readable at 200% zoom and
    /// in dark mode, focus visible. No <c>color-scheme</c>: a frame whose scheme differs from its parent's is painted opaque.
    /// </summary>
    private const string Css =
        ":root{--fg:#1f2328;--muted:#4b535d;--card:#fff;--accent:#0b57d0;--on-accent:#fff;--ok:#146c2e;--bad:#b3261e}"
        + "@media (prefers-color-scheme:dark){:root:not([data-theme=light]){--fg:#e6edf3;--muted:#b1bac4;--card:#161b22;--accent:#8ab4f8;--on-accent:#0d1117;--ok:#6dd58c;--bad:#ffb4ab}}"
        + ":root[data-theme=dark]{--fg:#e6edf3;--muted:#b1bac4;--card:#161b22;--accent:#8ab4f8;--on-accent:#0d1117;--ok:#6dd58c;--bad:#ffb4ab}"
        + "*{box-sizing:border-box}html,body{margin:0;min-height:100vh;background:transparent}"
        + "body{display:flex;align-items:center;justify-content:center;padding:1rem;background:rgba(0,0,0,.45);font:1rem/1.5 system-ui,-apple-system,'Segoe UI',sans-serif;color:var(--fg)}"
        + "main{position:relative;width:100%;max-width:30rem;padding:2rem;background:var(--card);border-radius:12px;box-shadow:0 8px 32px rgba(0,0,0,.3)}"
        + ".platform{margin:0 0 .5rem;color:var(--muted);font-weight:600}h1{margin:0 0 1rem;padding-right:2rem;font-size:1.5rem;line-height:1.25}"
        + "main[data-state=connected] h1{color:var(--ok)}main[data-state=failed] h1,main[data-state=ended] h1{color:var(--bad)}"
        + "p{margin:0 0 1rem}.detail{color:var(--muted);font-size:.9rem;word-break:break-word}.actions{margin:1.5rem 0 0}"
        + "button{font:inherit;cursor:pointer}.button{padding:.65rem 1.25rem;border:0;border-radius:8px;background:var(--accent);color:var(--on-accent);font-weight:600}"
        + ".close{position:absolute;top:.75rem;right:.75rem;width:2.5rem;height:2.5rem;border:0;border-radius:50%;background:transparent;color:var(--muted);font-size:1.5rem;line-height:1}"
        + "button:focus-visible{outline:3px solid var(--fg);outline-offset:3px}[hidden]{display:none!important}";

    private static readonly HtmlEncoder Encoder = HtmlEncoder.Default;

    private static readonly string StyleHash = "sha256-" + Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(Css)));

    public string ContentType => ContentTypeValue;

    public string ScriptUrl => new Uri(service, ConnectUiApi.ScriptPath.TrimStart('/')).AbsoluteUri;

    /// <summary>The websocket of <see cref="NangoWebSockets"/>, at this service's root, as <c>nango.auth()</c> finds it.</summary>
    public string SocketUrl => new UriBuilder(service) { Scheme = service.Scheme == Uri.UriSchemeHttps ? "wss" : "ws" }.Uri.AbsoluteUri;

    /// <summary>
    /// Only this document's own script runs, and it may only reach this service (<c>connect-src</c>
    /// names its origin and its websocket's); no form posts anywhere, no base URL may be injected.
    /// </summary>
    public string ContentSecurityPolicy =>
        $"default-src 'none'; script-src {ScriptUrl}; style-src '{StyleHash}'; connect-src {service.GetLeftPart(UriPartial.Authority)} {new Uri(SocketUrl).GetLeftPart(UriPartial.Authority)}; "
        + "img-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors http: https:";

    public Task ExecuteAsync(HttpContext httpContext)
    {
        var response = httpContext.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = ContentTypeValue;
        response.Headers.ContentSecurityPolicy = ContentSecurityPolicy;
        response.Headers.XContentTypeOptions = "nosniff";
        response.Headers["Referrer-Policy"] = "no-referrer";
        response.Headers.CacheControl = "no-store";
        return response.WriteAsync(Render(), Encoding.UTF8, httpContext.RequestAborted);
    }

    public string Render()
    {
        var html = new StringBuilder(4096)
            .Append("<!doctype html>\n<html lang=\"en\"");
        if (theme is "light" or "dark")
        {
            html.Append(" data-theme=\"").Append(theme).Append('"');
        }

        return html.Append(">\n<head>\n<meta charset=\"utf-8\">\n")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
            .Append("<meta name=\"referrer\" content=\"no-referrer\">\n")
            .Append("<title>Connect your Google Calendar</title>\n")
            .Append("<style>").Append(Css).Append("</style>\n")
            .Append("<script src=\"").Append(Encoder.Encode(ScriptUrl)).Append("\" defer></script>\n</head>\n<body>\n")
            .Append("<main id=\"connect-ui\" data-state=\"loading\" role=\"dialog\" aria-modal=\"true\" aria-labelledby=\"heading\" aria-describedby=\"message\"")
            .Append(" data-service=\"").Append(Encoder.Encode(service.AbsoluteUri)).Append('"')
            .Append(" data-socket=\"").Append(Encoder.Encode(SocketUrl)).Append('"')
            .Append(" data-provider=\"").Append(NangoConnections.ProviderConfigKey).Append('"')
            .Append(" data-detect-closed=\"").Append(detectClosedWindow ? "true" : "false").Append("\">\n")
            .Append("<button type=\"button\" class=\"close\" id=\"close\" aria-label=\"Close\">&times;</button>\n")
            .Append("<p class=\"platform\" id=\"platform\" hidden></p>\n")
            .Append("<h1 id=\"heading\">Connect your Google Calendar</h1>\n")
            .Append("<p id=\"message\" aria-live=\"polite\">Loading…</p>\n")
            .Append("<noscript><p>This window needs JavaScript. Ask the app for a connect link instead.</p></noscript>\n")
            .Append("<p class=\"detail\" id=\"detail\" hidden></p>\n")
            .Append("<p class=\"actions\">")
            .Append("<button type=\"button\" class=\"button\" id=\"connect\" hidden>Continue with Google</button>")
            .Append("<button type=\"button\" class=\"button\" id=\"retry\" hidden>Try again</button>")
            .Append("<button type=\"button\" class=\"button\" id=\"done\" hidden>Done</button>")
            .Append("</p>\n</main>\n</body>\n</html>\n")
            .ToString();
    }
}
