using System.Net;
using System.Net.Http.Headers;
using System.Text;

namespace CalendarGrains.Sandbox.Google;

/// <summary>Client id and secret from HTTP Basic or the form body (RFC 6749 §2.3.1); Google takes both.</summary>
/// <remarks>A class, not a record: a record's generated <c>ToString</c> would print the secret.</remarks>
internal sealed class ClientCredentials(string? clientId, string? clientSecret)
{
    public string? ClientId { get; } = clientId;

    public string? ClientSecret { get; } = clientSecret;

    public static ClientCredentials Read(HttpRequest request, IFormCollection form)
    {
        if (AuthenticationHeaderValue.TryParse(request.Headers.Authorization, out var header)
            && string.Equals(header.Scheme, "Basic", StringComparison.OrdinalIgnoreCase)
            && TryDecodeBasic(header.Parameter, out var basic))
        {
            return basic;
        }

        return new ClientCredentials(form["client_id"].FirstOrNull(), form["client_secret"].FirstOrNull());
    }

    /// <summary>Google's answers when the credentials are missing or do not match a client.</summary>
    public OAuthError? Authenticate(GoogleEmulator emulator, out OAuthClient? client)
    {
        client = null;
        if (string.IsNullOrEmpty(ClientId))
        {
            return OAuthError.InvalidRequest("Could not determine client ID from request.");
        }

        if (string.IsNullOrEmpty(ClientSecret))
        {
            return OAuthError.InvalidRequest("client_secret is missing.");
        }

        client = emulator.AuthenticateClient(ClientId, ClientSecret);
        return client is null ? OAuthError.InvalidClient : null;
    }

    /// <summary>RFC 6749 §2.3.1: id and secret are form-encoded before they are joined and base64-encoded.</summary>
    private static bool TryDecodeBasic(string? parameter, out ClientCredentials credentials)
    {
        credentials = new ClientCredentials(null, null);
        var bytes = new byte[((parameter?.Length ?? 0) * 3 / 4) + 3];
        if (parameter is null || !Convert.TryFromBase64String(parameter, bytes, out var written))
        {
            return false;
        }

        var pair = Encoding.UTF8.GetString(bytes, 0, written);
        var colon = pair.IndexOf(':', StringComparison.Ordinal);
        if (colon < 0)
        {
            return false;
        }

        credentials = new ClientCredentials(WebUtility.UrlDecode(pair[..colon]), WebUtility.UrlDecode(pair[(colon + 1)..]));
        return true;
    }
}
