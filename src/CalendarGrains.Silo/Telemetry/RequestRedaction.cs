using System.Text;

namespace CalendarGrains.Silo.Telemetry;

/// <summary>
/// What logs and traces may say about a request's URL. A connect link (<c>/v1/connect/cs_…</c>) is
/// a bearer credential for an hour, and query strings carry OAuth codes and states
/// (<c>/v1/oauth/callback?code=…&amp;state=…</c>) and session tokens (<c>?connect_session_token=…</c>):
/// session ids in the path and every query value are replaced, the rest (route, parameter names) kept.
/// </summary>
/// <remarks>
/// Note: done in code, not left to <c>appsettings.json</c> (which a deployment may not load): the
/// framework's request log is off and its redirect lines held at Warning (<see cref="AddRequestLogRedaction"/>),
/// our own log lines name redacted paths, and spans get redacted <c>url.path</c>/<c>url.query</c>/<c>url.full</c>.
/// </remarks>
public static class RequestRedaction
{
    public const string Redacted = "[redacted]";

    /// <summary>
    /// The framework's request log: "Request starting HTTP/1.1 GET http://…/v1/connect/cs_…", and a
    /// scope with the raw <c>RequestPath</c> around every other log line of the request (written by
    /// any provider that includes scopes). It starts that scope whenever the category is enabled at
    /// all, so it is turned off entirely; request counts and durations are in the metrics.
    /// </summary>
    public const string HostingCategory = "Microsoft.AspNetCore.Hosting.Diagnostics";

    /// <summary>
    /// Log the raw path or a redirect target below Warning: "Executing RedirectResult, redirecting to
    /// https://accounts.google.com/…?state=…", routing's "1 candidate(s) found for the request path '/v1/connect/cs_…'".
    /// </summary>
    public static readonly string[] RawUrlCategories =
    [
        "Microsoft.AspNetCore.Http.Result.RedirectResult",
        "Microsoft.AspNetCore.Http.Result.RedirectHttpResult",
        "Microsoft.AspNetCore.Routing.Matching",
    ];

    /// <summary>Code rules, so configuration cannot turn these back on (a provider-specific rule aside).</summary>
    public static ILoggingBuilder AddRequestLogRedaction(this ILoggingBuilder logging)
    {
        logging.AddFilter(HostingCategory, LogLevel.None);
        foreach (var category in RawUrlCategories)
        {
            logging.AddFilter(category, LogLevel.Warning);
        }

        return logging;
    }

    /// <summary>The path with connect-session ids (and anything after <c>/v1/connect/</c>) replaced.</summary>
    public static string Path(PathString path)
    {
        var value = path.Value;
        if (string.IsNullOrEmpty(value) || (!value.Contains("/cs_", StringComparison.Ordinal) && !value.Contains("/connect", StringComparison.Ordinal)))
        {
            return value ?? "";
        }

        var segments = value.Split('/');
        for (var i = 1; i < segments.Length; i++)
        {
            var afterConnect = segments[i - 1] is "connect" or "connect-sessions" && i >= 2 && segments[i - 2] == "v1";
            if (segments[i].StartsWith("cs_", StringComparison.Ordinal) || (afterConnect && segments[i].Length > 0))
            {
                segments[i] = Redacted;
            }
        }

        return string.Join('/', segments);
    }

    /// <summary>The query with every value replaced (names kept); empty when there is none.</summary>
    public static string Query(string? query)
    {
        if (string.IsNullOrEmpty(query) || query == "?")
        {
            return "";
        }

        var redacted = new StringBuilder("?");
        foreach (var pair in query.TrimStart('?').Split('&'))
        {
            if (redacted.Length > 1)
            {
                redacted.Append('&');
            }

            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            redacted.Append(equals < 0 ? pair : pair[..equals]).Append('=').Append(Redacted);
        }

        return redacted.ToString();
    }

    /// <summary>An absolute URL as <see cref="Path"/> and <see cref="Query"/> redact it; a URL's user info is dropped.</summary>
    public static string Url(Uri? url) =>
        url is null ? "" : !url.IsAbsoluteUri ? Path(new PathString("/" + url.OriginalString.TrimStart('/'))) :
            $"{url.Scheme}://{url.Authority}{Path(new PathString(url.AbsolutePath))}{Query(url.Query)}";
}

/// <summary>
/// Orleans tags its grain-call spans with the grain ids (<c>orleans.rpc.target_id</c>, <c>…source_id</c>);
/// a connect session's grain id is its connect link, so those are redacted before any exporter sees
/// the span (this processor is added before the exporters).
/// </summary>
public sealed class GrainIdRedactionProcessor : OpenTelemetry.BaseProcessor<System.Diagnostics.Activity>
{
    private const string SessionGrainPrefix = "connectsession/";
    private static readonly string[] GrainIdTags = ["orleans.rpc.target_id", "orleans.rpc.source_id"];

    public override void OnEnd(System.Diagnostics.Activity data)
    {
        foreach (var tag in GrainIdTags)
        {
            if (data.GetTagItem(tag) is string id && id.StartsWith(SessionGrainPrefix, StringComparison.Ordinal))
            {
                data.SetTag(tag, SessionGrainPrefix + RequestRedaction.Redacted);
            }
        }
    }
}
