using System.Text;
using System.Text.RegularExpressions;

namespace CalendarGrains.Common;

/// <summary>
/// Makes exception text and request paths safe to log: what a failure was (type, message, inner
/// failures, stack frames) without any secret that may be inside it.
/// </summary>
/// <remarks>
/// What can reach an exception message here: Orleans names the target grain and the method with
/// its parameter <em>types</em> (never argument values), and grain keys include connect session
/// ids, which are bearer links; HTTP and Redis errors carry URLs (whose query may hold a code or
/// token) and keys; a parser may quote the text it could not read. So the text is masked by shape:
/// our own secrets and ids that work as secrets by their prefix, Google's token and code shapes,
/// JWTs, credentials after an authorization scheme, query strings, and any value named like a
/// token, secret, key, code or password.
/// </remarks>
public static partial class LogRedaction
{
    public const string Mask = "[redacted]";

    /// <summary>Longest message kept per exception: a message is a diagnosis, not a payload dump.</summary>
    private const int MaxMessageLength = 1_000;

    /// <summary>At most this many exceptions of a chain are described.</summary>
    private const int MaxChain = 5;

    /// <summary>The text with every secret-shaped part masked.</summary>
    public static string Text(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return "";
        }

        // Note: named values first, so a value is masked whole before its parts would be.
        var safe = NamedSecrets().Replace(text, match => match.Groups["name"].Value + match.Groups["separator"].Value + Mask);
        safe = AuthorizationSchemes().Replace(safe, match => match.Groups["scheme"].Value + " " + Mask);
        safe = OurSecrets().Replace(safe, match => match.Groups["prefix"].Value + Mask);
        safe = GoogleTokens().Replace(safe, Mask);
        safe = Jwts().Replace(safe, Mask);
        safe = QueryStrings().Replace(safe, "?" + Mask);
        return safe.Length <= MaxMessageLength ? safe : safe[..MaxMessageLength] + "…";
    }

    /// <summary>
    /// "Type: message" for the exception and each inner one (<c> ---> </c> between them), masked;
    /// with <paramref name="withStackTraces"/>, each one's stack frames too (frames hold no values).
    /// </summary>
    public static string Describe(Exception exception, bool withStackTraces = false)
    {
        var text = new StringBuilder();
        var current = exception;
        for (var depth = 0; current is not null && depth < MaxChain; depth++)
        {
            if (depth > 0)
            {
                text.Append(" ---> ");
            }

            text.Append(current.GetType().FullName).Append(": ").Append(Text(current.Message));
            if (withStackTraces && current.StackTrace is { } frames)
            {
                text.Append('\n').Append(frames).Append('\n');
            }

            current = current is AggregateException { InnerExceptions.Count: > 0 } aggregate ? aggregate.InnerExceptions[0] : current.InnerException;
        }

        return text.ToString();
    }

    /// <summary>Connect session ids (bearer links), API keys, admin keys, client secrets, Vapi server secrets, webhook secrets.</summary>
    [GeneratedRegex(@"\b(?<prefix>(?:cs|cgk|cga|cgs|vss|whsec)_)[A-Za-z0-9_\-]+")]
    private static partial Regex OurSecrets();

    /// <summary>Google access tokens (<c>ya29.</c>), refresh tokens (<c>1//</c>), authorization codes (<c>4/</c>).</summary>
    [GeneratedRegex(@"\bya29\.[A-Za-z0-9_\-\.]+|(?<![A-Za-z0-9/])1//[A-Za-z0-9_\-]+|(?<![A-Za-z0-9/])4/[0-9A-Za-z][A-Za-z0-9_\-]{10,}")]
    private static partial Regex GoogleTokens();

    [GeneratedRegex(@"\beyJ[A-Za-z0-9_\-]+\.[A-Za-z0-9_\-]+\.[A-Za-z0-9_\-]*")]
    private static partial Regex Jwts();

    [GeneratedRegex(@"(?i)\b(?<scheme>bearer|basic)\s+[^\s,;""']+")]
    private static partial Regex AuthorizationSchemes();

    /// <summary><c>refresh_token=…</c>, <c>"client_secret": "…"</c>, <c>apiKey: …</c> and the like.</summary>
    [GeneratedRegex(@"(?i)(?<name>\b[a-z_\-]*(?:token|secret|key|code|password|signature)[a-z_\-]*""?)(?<separator>\s*[=:]\s*)(?:""[^""]*""|[^\s&,;""'\)\]]+)")]
    private static partial Regex NamedSecrets();

    [GeneratedRegex(@"\?[^\s""'<>]+")]
    private static partial Regex QueryStrings();
}
