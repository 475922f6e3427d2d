using CalendarGrains.Google;
using Microsoft.Extensions.Options;

namespace CalendarGrains.Silo.Nango;

/// <summary><c>Nango:Proxy:*</c>: where <c>/proxy</c> may send a request, and how it retries.</summary>
public sealed class NangoProxyOptions
{
    public const string Section = "Nango:Proxy";

    /// <summary>
    /// The base of Google's APIs (Nango's <c>google-calendar</c> provider: <c>https://www.googleapis.com</c>).
    /// Unset: <c>Google:CalendarApiBaseUrl</c> without its <c>/calendar/v3</c>, so the sandbox reaches its emulator.
    /// </summary>
    public string? BaseUrl { get; set; }

    /// <summary>Hosts a <c>Base-Url-Override</c> may name (HTTPS only); <c>*.</c> allows subdomains.</summary>
    public List<string> AllowedHosts { get; set; } = ["www.googleapis.com", "*.googleapis.com"];

    /// <summary>The most retries a caller's <c>Retries</c> header may ask for.</summary>
    public int MaxRetries { get; set; } = 10;

    /// <summary>The first back-off (Nango's: 3 s, doubling each retry), unless Google's <c>Retry-After</c> says otherwise.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(3);

    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromSeconds(60);

    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(60);

    public TimeSpan TotalTimeout { get; set; } = TimeSpan.FromMinutes(5);

    internal IEnumerable<string> Problems()
    {
        if (BaseUrl is not null && !Uri.TryCreate(BaseUrl, UriKind.Absolute, out _))
        {
            yield return $"{Section}:BaseUrl must be an absolute URL.";
        }

        if (MaxRetries is < 0 or > 20)
        {
            yield return $"{Section}:MaxRetries must be between 0 and 20.";
        }

        if (RetryDelay <= TimeSpan.Zero || RetryMaxDelay < RetryDelay || AttemptTimeout <= TimeSpan.Zero || TotalTimeout < AttemptTimeout)
        {
            yield return $"{Section}: delays and timeouts must be positive, RetryMaxDelay >= RetryDelay and TotalTimeout >= AttemptTimeout.";
        }
    }

    internal sealed class Validator : IValidateOptions<NangoProxyOptions>
    {
        public ValidateOptionsResult Validate(string? name, NangoProxyOptions options) =>
            options.Problems().ToArray() is { Length: > 0 } problems ? ValidateOptionsResult.Fail(problems) : ValidateOptionsResult.Success;
    }
}

/// <summary>Decides where a proxied request goes, and refuses anything that is not Google's API (no open relay).</summary>
public sealed class NangoProxyTargets(IOptions<NangoProxyOptions> options, IGoogleEndpoints google)
{
    private const string CalendarPath = "/calendar/v3";

    public Uri BaseUrl => new(EnsureSlash(options.Value.BaseUrl ?? DefaultBase()));

    /// <summary>The URL to call, or null (with the reason) when the base or the path leads elsewhere.</summary>
    public Uri? Resolve(string? baseUrlOverride, string pathAndQuery, out string? refusal)
    {
        refusal = null;
        var baseUrl = BaseUrl;
        if (!string.IsNullOrEmpty(baseUrlOverride))
        {
            if (!Uri.TryCreate(baseUrlOverride, UriKind.Absolute, out var overridden))
            {
                refusal = "Base-Url-Override is not an absolute URL.";
                return null;
            }

            overridden = new Uri(EnsureSlash(overridden.AbsoluteUri));
            if (!IsPrefix(baseUrl, overridden) && !IsAllowedGoogleHost(overridden))
            {
                refusal = $"Base-Url-Override must be an HTTPS Google API host ({string.Join(", ", options.Value.AllowedHosts)}).";
                return null;
            }

            baseUrl = overridden;
        }

        // Note: Kestrel has already resolved plain and %2E dot segments; an encoded slash or
        // backslash could still make one at the next hop, so such an endpoint is refused outright.
        var decoded = Uri.UnescapeDataString(pathAndQuery.Split('?', 2)[0]);
        if (decoded.Contains('\\', StringComparison.Ordinal) || decoded.Split('/').Contains("..")
            || !Uri.TryCreate(baseUrl, pathAndQuery.TrimStart('/'), out var target) || !IsPrefix(baseUrl, target))
        {
            refusal = "The endpoint leaves the API's base URL.";
            return null;
        }

        return target;
    }

    private bool IsAllowedGoogleHost(Uri url) =>
        url.Scheme == Uri.UriSchemeHttps && url.IsDefaultPort && string.IsNullOrEmpty(url.UserInfo)
        && options.Value.AllowedHosts.Any(host => host.StartsWith("*.", StringComparison.Ordinal)
            ? url.Host.EndsWith(host[1..], StringComparison.OrdinalIgnoreCase)
            : string.Equals(url.Host, host, StringComparison.OrdinalIgnoreCase));

    /// <summary>Same scheme, host and port, and the target's path under the base's (after <c>..</c> is resolved).</summary>
    private static bool IsPrefix(Uri baseUrl, Uri target) =>
        Uri.Compare(baseUrl, target, UriComponents.SchemeAndServer, UriFormat.Unescaped, StringComparison.OrdinalIgnoreCase) == 0
        && string.IsNullOrEmpty(target.UserInfo)
        && target.AbsolutePath.StartsWith(baseUrl.AbsolutePath, StringComparison.Ordinal);

    private string DefaultBase()
    {
        var calendar = google.CalendarApi.AbsoluteUri.TrimEnd('/');
        return calendar.EndsWith(CalendarPath, StringComparison.Ordinal) ? calendar[..^CalendarPath.Length] : "https://www.googleapis.com";
    }

    private static string EnsureSlash(string url) => url.EndsWith('/') ? url : url + "/";
}
