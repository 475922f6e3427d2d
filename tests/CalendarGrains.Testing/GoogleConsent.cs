using System.Net;
using System.Text.RegularExpressions;

namespace CalendarGrains.Testing;

/// <summary>The consent form as the emulator renders it: where it posts and what it carries.</summary>
public sealed record ConsentForm(Uri Action, IReadOnlyDictionary<string, string> Fields);

/// <summary>
/// Walks the emulator's consent page the way a browser does: GET the page, read its one form, post it
/// with the user's choice, and hand back the redirect <c>Location</c> (the app's callback URL).
/// The <see cref="HttpClient"/> must not follow redirects (the callback usually is not listening).
/// </summary>
public static partial class GoogleConsent
{
    public static Task<Uri> ApproveAsync(HttpClient http, Uri consentUrl, string email, CancellationToken cancellationToken = default) =>
        DecideAsync(http, consentUrl, "allow", email, cancellationToken);

    public static Task<Uri> DenyAsync(HttpClient http, Uri consentUrl, CancellationToken cancellationToken = default) =>
        DecideAsync(http, consentUrl, "deny", email: null, cancellationToken);

    /// <summary>GETs the consent page and reads its form; fails with the page's text when there is none.</summary>
    public static async Task<ConsentForm> ReadFormAsync(HttpClient http, Uri consentUrl, CancellationToken cancellationToken = default)
    {
        using var response = await http.GetAsync(consentUrl, cancellationToken);
        var html = await response.Content.ReadAsStringAsync(cancellationToken);
        if (response.StatusCode != HttpStatusCode.OK || FormTag().Match(html) is not { Success: true } form)
        {
            throw new InvalidOperationException($"No consent form at {consentUrl} ({(int)response.StatusCode}): {html}");
        }

        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (Match input in InputTag().Matches(html))
        {
            var attributes = Attributes(input.Value);
            if (attributes.TryGetValue("name", out var name) && name != "decision")
            {
                fields[name] = attributes.GetValueOrDefault("value", "");
            }
        }

        var action = new Uri(response.RequestMessage!.RequestUri!, WebUtility.HtmlDecode(form.Groups["action"].Value));
        return new ConsentForm(action, fields);
    }

    /// <summary>The query parameters of a callback URL (the redirect back to the app).</summary>
    public static IReadOnlyDictionary<string, string> ReadCallback(Uri location) =>
        Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(location.Query)
            .ToDictionary(p => p.Key, p => p.Value.ToString(), StringComparer.Ordinal);

    private static async Task<Uri> DecideAsync(HttpClient http, Uri consentUrl, string decision, string? email, CancellationToken cancellationToken)
    {
        var form = await ReadFormAsync(http, consentUrl, cancellationToken);
        var fields = new Dictionary<string, string>(form.Fields) { ["decision"] = decision };
        if (email is not null)
        {
            fields["email"] = email;
        }

        using var content = new FormUrlEncodedContent(fields);
        using var response = await http.PostAsync(form.Action, content, cancellationToken);
        if (response.StatusCode != HttpStatusCode.Redirect || response.Headers.Location is not { } location)
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            throw new InvalidOperationException($"Consent did not redirect ({(int)response.StatusCode}): {body}");
        }

        return location;
    }

    private static Dictionary<string, string> Attributes(string tag) =>
        Attribute().Matches(tag).ToDictionary(
            m => m.Groups["name"].Value,
            m => WebUtility.HtmlDecode(m.Groups["value"].Value),
            StringComparer.Ordinal);

    [GeneratedRegex("""<form\s+action="(?<action>[^"]*)"\s+method="post">""", RegexOptions.IgnoreCase)]
    private static partial Regex FormTag();

    [GeneratedRegex("""<input\b[^>]*>""", RegexOptions.IgnoreCase)]
    private static partial Regex InputTag();

    [GeneratedRegex(@"(?<name>[a-z_-]+)=""(?<value>[^""]*)""", RegexOptions.IgnoreCase)]
    private static partial Regex Attribute();
}
