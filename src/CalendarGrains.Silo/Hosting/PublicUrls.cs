using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace CalendarGrains.Silo.Hosting;

/// <summary>
/// The URL users, Google and Vapi reach this service at: <c>PublicBaseUrl</c>, or else the first
/// address Kestrel listens on (read once it is listening, so <c>--urls http://127.0.0.1:0</c> works).
/// </summary>
public sealed class PublicUrls(IConfiguration configuration, IServer server)
{
    private Uri? _baseUrl;

    public Uri BaseUrl => _baseUrl ??= Resolve();

    /// <summary>An absolute URL for a path of this service, e.g. <c>/v1/oauth/callback</c>.</summary>
    public string For(string path) => BaseUrl.ToString().TrimEnd('/') + path;

    private Uri Resolve()
    {
        var configured = configuration["PublicBaseUrl"];
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return new Uri(configured.TrimEnd('/') + "/");
        }

        var address = server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault()
            ?? throw new InvalidOperationException("PublicBaseUrl is not set and the server is not listening yet.");
        var uri = new UriBuilder(address.Replace("://+", "://localhost", StringComparison.Ordinal).Replace("://*", "://localhost", StringComparison.Ordinal));
        if (uri.Host is "0.0.0.0" or "[::]" or "::")
        {
            uri.Host = "localhost";
        }

        uri.Path = "/";
        return uri.Uri;
    }
}
