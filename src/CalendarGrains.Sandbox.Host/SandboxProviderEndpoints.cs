using CalendarGrains.Google;
using CalendarGrains.Silo.Hosting;
using CalendarGrains.Vapi;
using Microsoft.Extensions.Options;

namespace CalendarGrains.Sandbox.Host;

/// <summary><c>Google:*</c> when set; otherwise the Google emulator this process serves under <c>/sandbox/google</c>.</summary>
public sealed class SandboxGoogleEndpoints(IOptions<GoogleOptions> options, PublicUrls urls) : IGoogleEndpoints
{
    private GoogleOptions O => options.Value;

    public Uri Authorization => Resolve(O.AuthorizationEndpoint, "/o/oauth2/v2/auth");

    public Uri Token => Resolve(O.TokenEndpoint, "/token");

    public Uri Revocation => Resolve(O.RevocationEndpoint, "/revoke");

    public Uri UserInfo => Resolve(O.UserInfoEndpoint, "/v1/userinfo");

    public Uri CalendarApi => Resolve(O.CalendarApiBaseUrl, "/calendar/v3");

    private Uri Resolve(string? configured, string emulatorPath) =>
        new(!string.IsNullOrWhiteSpace(configured) ? configured : urls.For($"{SandboxExtension.Prefix}/google{emulatorPath}"));
}

/// <summary><c>Vapi:BaseUrl</c> when set; otherwise the Vapi emulator this process serves under <c>/sandbox/vapi</c>.</summary>
public sealed class SandboxVapiEndpoints(IOptions<VapiOptions> options, PublicUrls urls) : IVapiEndpoints
{
    public Uri BaseUrl => new(!string.IsNullOrWhiteSpace(options.Value.BaseUrl) ? options.Value.BaseUrl : urls.For($"{SandboxExtension.Prefix}/vapi"));
}
