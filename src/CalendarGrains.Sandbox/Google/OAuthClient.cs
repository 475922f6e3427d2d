using System.Security.Cryptography;
using System.Text;

namespace CalendarGrains.Sandbox.Google;

/// <summary>An OAuth client as a developer registers it in the Google Cloud console.</summary>
/// <remarks>A class, not a record: a record's generated <c>ToString</c> would print the secret.</remarks>
internal sealed class OAuthClient(string id, string secret, IReadOnlySet<string> redirectUris)
{
    public string Id { get; } = id;

    public IReadOnlySet<string> RedirectUris { get; } = redirectUris;

    public bool HasSecret(string candidate) =>
        CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(candidate));

    /// <summary>Google compares redirect URIs as exact strings.</summary>
    /// <remarks>
    /// Note: a client registered without redirect URIs accepts any absolute http(s) URI, so a sandbox works
    /// wherever the service happens to listen. Google itself always requires a registered match.
    /// </remarks>
    public bool AllowsRedirectUri(string redirectUri)
    {
        if (RedirectUris.Count > 0)
        {
            return RedirectUris.Contains(redirectUri);
        }

        return Uri.TryCreate(redirectUri, UriKind.Absolute, out var uri)
            && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
            && string.IsNullOrEmpty(uri.Fragment);
    }
}
