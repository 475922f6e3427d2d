using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;

namespace CalendarGrains.Testing;

/// <summary>
/// Mints a Google grant straight at the emulator, as another system (Nango, say) would hold one:
/// consent with the client, then the code exchange, without CalendarGrains in the loop.
/// </summary>
public static class GoogleGrants
{
    private const string RedirectUri = "http://127.0.0.1:9/elsewhere/callback";

    /// <param name="googleBase">The emulator's Google prefix, e.g. <c>http://127.0.0.1:5000/google/</c> (trailing slash).</param>
    public static async Task<string> MintRefreshTokenAsync(HttpClient browser, Uri googleBase, string clientId, string clientSecret, string email, CancellationToken cancellationToken = default)
    {
        var authorize = new Uri(googleBase, "o/oauth2/v2/auth" + QueryString.Create(new Dictionary<string, string?>
        {
            ["client_id"] = clientId,
            ["redirect_uri"] = RedirectUri,
            ["response_type"] = "code",
            ["scope"] = "openid email https://www.googleapis.com/auth/calendar",
            ["access_type"] = "offline",
            ["prompt"] = "consent",
            ["state"] = "mint",
        }));
        var callback = await GoogleConsent.ApproveAsync(browser, authorize, email, cancellationToken);
        var code = QueryHelpers.ParseQuery(callback.Query)["code"].ToString();
        using var exchange = await browser.PostAsync(new Uri(googleBase, "token"), new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code",
            ["code"] = code,
            ["redirect_uri"] = RedirectUri,
            ["client_id"] = clientId,
            ["client_secret"] = clientSecret,
        }), cancellationToken);
        var body = await exchange.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
        return body.GetProperty("refresh_token").GetString()!;
    }
}
