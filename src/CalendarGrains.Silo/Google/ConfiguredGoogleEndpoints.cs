using CalendarGrains.Google;
using Microsoft.Extensions.Options;

namespace CalendarGrains.Silo.Google;

/// <summary>
/// <c>Google:*</c> when set (e.g. the emulators, for a cluster tried offline); otherwise Google itself.
/// The sandbox host replaces this with its own, which falls back to its embedded emulator.
/// </summary>
public sealed class ConfiguredGoogleEndpoints(IOptions<GoogleOptions> options) : IGoogleEndpoints
{
    private GoogleOptions O => options.Value;

    public Uri Authorization => Resolve(O.AuthorizationEndpoint, GoogleOptions.DefaultAuthorizationEndpoint);

    public Uri Token => Resolve(O.TokenEndpoint, GoogleOptions.DefaultTokenEndpoint);

    public Uri Revocation => Resolve(O.RevocationEndpoint, GoogleOptions.DefaultRevocationEndpoint);

    public Uri UserInfo => Resolve(O.UserInfoEndpoint, GoogleOptions.DefaultUserInfoEndpoint);

    public Uri CalendarApi => Resolve(O.CalendarApiBaseUrl, GoogleOptions.DefaultCalendarApiBaseUrl);

    private static Uri Resolve(string? configured, string google) => new(!string.IsNullOrWhiteSpace(configured) ? configured : google);
}
