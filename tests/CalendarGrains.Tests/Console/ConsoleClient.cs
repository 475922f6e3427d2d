using System.Net;
using System.Text.RegularExpressions;
using CalendarGrains.Silo.WebConsole.Security;
using CalendarGrains.Tests.Infrastructure;

namespace CalendarGrains.Tests.WebConsole;

/// <summary>
/// The console as a browser without script sees it: a cookie jar, pages fetched with GET, forms
/// posted with the anti-forgery token the page carried. Redirects are not followed, so a test sees them.
/// </summary>
public sealed partial class ConsoleClient : IDisposable
{
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;

    public ConsoleClient(ServiceHost host)
    {
        Http = new HttpClient(new HttpClientHandler { CookieContainer = Cookies, UseCookies = true, AllowAutoRedirect = false }) { BaseAddress = host.BaseUrl };
    }

    public CookieContainer Cookies { get; } = new();

    public HttpClient Http { get; }

    /// <summary>The session cookie as the jar would send it to a console page (its path is /console).</summary>
    public string? SessionCookie => Cookies.GetCookies(new Uri(Http.BaseAddress!, "/console/")).FirstOrDefault(cookie => cookie.Name == ConsoleAuth.CookieName)?.Value;

    public Task<HttpResponseMessage> GetAsync(string path) => Http.GetAsync(path, _ct);

    public async Task<string> GetPageAsync(string path)
    {
        var response = await GetAsync(path);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {path}: {(int)response.StatusCode} {response.Headers.Location}");
        return await response.Content.ReadAsStringAsync(_ct);
    }

    /// <summary>Signs in through the form; answers the form post's response (a redirect on success).</summary>
    public async Task<HttpResponseMessage> SignInAsync(string key, string path = "/console/sign-in") =>
        await PostFormAsync(path, "sign-in", ("Key", key));

    /// <summary>Fetches <paramref name="pagePath"/> for its anti-forgery token, then posts the named form to it.</summary>
    public async Task<HttpResponseMessage> PostFormAsync(string pagePath, string formName, params (string Name, string Value)[] fields)
    {
        var token = TokenOf(await GetPageAsync(pagePath));
        return await PostAsync(pagePath, [("_handler", formName), ("__RequestVerificationToken", token), .. fields]);
    }

    public async Task<HttpResponseMessage> PostAsync(string path, IEnumerable<(string Name, string Value)> fields) =>
        await Http.PostAsync(path, new FormUrlEncodedContent(fields.Select(field => KeyValuePair.Create(field.Name, field.Value))), _ct);

    public static string TokenOf(string html) =>
        AntiforgeryInput().Match(html) is { Success: true } match ? match.Groups[1].Value : throw new InvalidOperationException("The page has no anti-forgery token.");

    public void Dispose() => Http.Dispose();

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryInput();
}
