using System.Net;
using Microsoft.Extensions.Options;

namespace CalendarGrains.Silo.Hosting;

/// <summary>
/// <c>PublicBaseUrl</c>: the URL users, Google and Vapi reach this service at. The OAuth
/// <c>redirect_uri</c>, the connect links and every URL given to Vapi are built from it.
/// </summary>
public sealed class PublicBaseUrlOptions
{
    public const string Key = "PublicBaseUrl";
    public const string AllowInsecureKey = "AllowInsecurePublicBaseUrl";

    public string? PublicBaseUrl { get; set; }

    /// <summary>Accept a loopback or plain-HTTP <see cref="PublicBaseUrl"/> in a cluster (tests, a local cluster).</summary>
    public bool AllowInsecurePublicBaseUrl { get; set; }
}

/// <summary>
/// Required in Redis mode: without it the service used to fall back to its listening address, so
/// in a container (<c>0.0.0.0</c>) every redirect and Vapi URL silently became <c>localhost</c>.
/// Outside the sandbox it must be HTTPS and not loopback, unless <c>AllowInsecurePublicBaseUrl</c>.
/// </summary>
public sealed class PublicBaseUrlOptionsValidator(ServiceMode mode) : IValidateOptions<PublicBaseUrlOptions>
{
    public ValidateOptionsResult Validate(string? name, PublicBaseUrlOptions options)
    {
        if (string.IsNullOrWhiteSpace(options.PublicBaseUrl))
        {
            return mode.UsesRedis
                ? ValidateOptionsResult.Fail($"{PublicBaseUrlOptions.Key} is not set: in Redis mode set it to the URL users, Google and Vapi reach this service at (e.g. https://calendar.example.com); the OAuth redirect_uri and every URL given to Vapi are built from it.")
                : ValidateOptionsResult.Success;
        }

        if (!Uri.TryCreate(options.PublicBaseUrl, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https")
            || url.Query.Length > 0 || url.Fragment.Length > 0 || url.UserInfo.Length > 0)
        {
            return ValidateOptionsResult.Fail($"{PublicBaseUrlOptions.Key} '{options.PublicBaseUrl}' is not an absolute http(s) URL without query, fragment or credentials.");
        }

        if (mode.SandboxEnabled || options.AllowInsecurePublicBaseUrl)
        {
            return ValidateOptionsResult.Success;
        }

        var allow = $"Set {PublicBaseUrlOptions.AllowInsecureKey}=true to allow it anyway (tests, a local cluster).";
        if (IsLoopbackOrUnspecified(url))
        {
            return ValidateOptionsResult.Fail($"{PublicBaseUrlOptions.Key} '{options.PublicBaseUrl}' is a loopback or unspecified address: Google and Vapi cannot reach it. {allow}");
        }

        return url.Scheme == Uri.UriSchemeHttps
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail($"{PublicBaseUrlOptions.Key} '{options.PublicBaseUrl}' is not HTTPS: OAuth redirects and Vapi's requests carry secrets. {allow}");
    }

    private static bool IsLoopbackOrUnspecified(Uri url)
    {
        if (url.IsLoopback || url.Host.Equals("localhost", StringComparison.OrdinalIgnoreCase)
            || url.Host.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        return IPAddress.TryParse(url.IdnHost.Trim('[', ']'), out var address)
            && (IPAddress.IsLoopback(address) || address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any));
    }
}
