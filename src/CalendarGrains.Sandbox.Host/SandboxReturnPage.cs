using System.Net;
using System.Text;

namespace CalendarGrains.Sandbox.Host;

/// <summary>
/// The demo tenant's return URL: where the end user's browser lands after connecting in the
/// sandbox. Shows what a tenant's own page would receive (connectionId and endUserId, or error).
/// </summary>
public static class SandboxReturnPage
{
    public const string Path = "/sandbox/return";

    public static IEndpointRouteBuilder MapSandboxReturnPage(this IEndpointRouteBuilder app)
    {
        app.MapGet(Path, Render).ExcludeFromDescription().AllowAnonymous();
        return app;
    }

    private static IResult Render(HttpRequest request)
    {
        var rows = new StringBuilder();
        foreach (var (name, value) in request.Query)
        {
            rows.Append("<tr><th>").Append(WebUtility.HtmlEncode(name)).Append("</th><td><code>")
                .Append(WebUtility.HtmlEncode(value.ToString())).Append("</code></td></tr>");
        }

        var connected = request.Query.ContainsKey("connectionId");
        var html = $"""
            <!doctype html>
            <html><head><meta charset="utf-8"><title>CalendarGrains sandbox</title>
            <style>body{"{"}font-family:system-ui,sans-serif;max-width:44rem;margin:3rem auto{"}"}th{"{"}text-align:left;padding-right:1rem{"}"}</style></head>
            <body><h1>{(connected ? "Connected" : "Not connected")}</h1>
            <p>This page stands for the tenant's own return URL. It received:</p>
            <table>{rows}</table>
            {(connected ? $"<p>Ask for a token with the tenant key: <code>curl -X POST -H \"Authorization: Bearer $KEY\" {WebUtility.HtmlEncode(request.Scheme + "://" + request.Host)}/v1/connections/{WebUtility.HtmlEncode(request.Query["connectionId"].ToString())}/token</code></p>" : "")}
            </body></html>
            """;
        return Results.Content(html, "text/html; charset=utf-8");
    }
}
