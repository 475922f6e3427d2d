using CalendarGrains.Google;
using CalendarGrains.Silo.Hosting;
using Microsoft.Extensions.Options;

namespace CalendarGrains.Silo.Connections;

/// <summary>
/// <c>Google:*</c> when set; otherwise Google itself, or in the sandbox the emulator this process
/// serves under <c>/sandbox/google</c> (over real HTTP, the same code path as production).
/// </summary>
public sealed class ConfiguredGoogleEndpoints(IOptions<GoogleOptions> options, ServiceMode mode, PublicUrls urls) : IGoogleEndpoints
{
    private GoogleOptions O => options.Value;

    public Uri Authorization => Resolve(O.AuthorizationEndpoint, GoogleOptions.DefaultAuthorizationEndpoint, "/o/oauth2/v2/auth");

    public Uri Token => Resolve(O.TokenEndpoint, GoogleOptions.DefaultTokenEndpoint, "/token");

    public Uri Revocation => Resolve(O.RevocationEndpoint, GoogleOptions.DefaultRevocationEndpoint, "/revoke");

    public Uri UserInfo => Resolve(O.UserInfoEndpoint, GoogleOptions.DefaultUserInfoEndpoint, "/v1/userinfo");

    public Uri CalendarApi => Resolve(O.CalendarApiBaseUrl, GoogleOptions.DefaultCalendarApiBaseUrl, "/calendar/v3");

    private Uri Resolve(string? configured, string google, string emulatorPath) =>
        new(!string.IsNullOrWhiteSpace(configured) ? configured : mode.SandboxEnabled ? urls.For("/sandbox/google" + emulatorPath) : google);
}
