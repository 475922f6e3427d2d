using System.Net;
using System.Text;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CalendarGrains.Sandbox.Google;

/// <summary>
/// The pages a person sees at the authorization endpoint. The markup is deliberately plain and stable
/// (one form, one element per line, double-quoted attributes) so test code can read it with a few
/// patterns, while it still works in a browser.
/// </summary>
internal static class GoogleHtmlPages
{
    private static StringBuilder Page(string title) => new StringBuilder().AppendLine($$"""
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>{{WebUtility.HtmlEncode(title)}}</title>
        <style>body{font-family:system-ui,sans-serif;max-width:32rem;margin:3rem auto;padding:0 1rem;color:#202124}button{padding:.5rem 1.5rem;margin-right:.5rem}input[type=email]{width:100%;padding:.4rem}code{word-break:break-all}</style>
        </head>
        <body>
        """);

    /// <summary>Google's "Error 400: invalid_request" style page; it never redirects back to the app.</summary>
    public static IResult Error(OAuthError error)
    {
        var html = Page($"Error {error.Status}: {error.Error}")
            .AppendLine("<h1>Access blocked: Authorization Error</h1>")
            .AppendLine($"<p id=\"error\">Error {error.Status}: {Encode(error.Error)}</p>")
            .AppendLine($"<p id=\"error_description\">{Encode(error.Description)}</p>")
            .AppendLine("<p>This page is served by the CalendarGrains Google emulator.</p>")
            .AppendLine("</body>")
            .AppendLine("</html>");
        return Html(html.ToString(), error.Status);
    }

    /// <summary>The consent screen: account, scopes, and Allow/Deny posting the request back.</summary>
    public static IResult Consent(string formAction, AuthorizeRequest request, ValidAuthorizeRequest valid)
    {
        var html = Page("Sign in - Google Accounts (emulator)")
            .AppendLine("<h1>Sign in with Google (emulator)</h1>")
            .AppendLine($"<p><code>{Encode(valid.Client.Id)}</code> wants to access your Google Account.</p>")
            .AppendLine($"<form action=\"{Encode(formAction)}\" method=\"post\">");
        foreach (var (name, value) in request.Parameters())
        {
            html.AppendLine($"<input type=\"hidden\" name=\"{Encode(name)}\" value=\"{Encode(value)}\">");
        }

        html.AppendLine("<p><label for=\"email\">Account</label></p>")
            .AppendLine($"<input type=\"email\" id=\"email\" name=\"email\" value=\"{Encode(request.LoginHint ?? "")}\" required>")
            .AppendLine("<p>This will allow the app to:</p>")
            .AppendLine("<ul>");
        foreach (var scope in valid.Scopes)
        {
            html.AppendLine($"<li class=\"scope\">{Encode(scope)}</li>");
        }

        html.AppendLine("</ul>")
            .AppendLine($"<p>Offline access (refresh token): {(valid.Offline ? "requested" : "not requested")}</p>")
            .AppendLine("<button type=\"submit\" name=\"decision\" value=\"deny\" formnovalidate>Deny</button>")
            .AppendLine("<button type=\"submit\" name=\"decision\" value=\"allow\">Allow</button>")
            .AppendLine("</form>")
            .AppendLine("</body>")
            .AppendLine("</html>");
        return Html(html.ToString(), StatusCodes.Status200OK);
    }

    private static string Encode(string value) => WebUtility.HtmlEncode(value);

    private static ContentHttpResult Html(string html, int status) =>
        TypedResults.Content(html, "text/html; charset=utf-8", Encoding.UTF8, status);
}
